package dev.vgate.canbus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes frames as {@code candump -L} lines. With {@code flushEachLine}, every line is flushed as it is
 * written (for live output that another program reads as it comes).
 */
public final class CandumpWriter implements AutoCloseable {
    private final Writer out;
    private final boolean flushEachLine;
    private final StringBuilder sb = new StringBuilder(200);
    private long frames;

    public CandumpWriter(Writer out, boolean flushEachLine) {
        this.out = out;
        this.flushEachLine = flushEachLine;
    }

    public static CandumpWriter of(OutputStream out, boolean flushEachLine) {
        return new CandumpWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), flushEachLine);
    }

    public void write(CanFrame frame) throws CanException { write(frame, null); }

    /** Writes the frame's line, then {@code suffix} (if not null or empty) after a space. */
    public void write(CanFrame frame, CharSequence suffix) throws CanException {
        sb.setLength(0);
        CandumpFormat.appendLogLine(frame, sb);
        if (suffix != null && suffix.length() > 0) sb.append(' ').append(suffix);
        sb.append('\n');
        try {
            out.append(sb);
            if (flushEachLine) out.flush();
        } catch (IOException e) {
            throw new CanException("writing the candump log failed after " + frames + " frames: " + e.getMessage(), e);
        }
        frames++;
    }

    public long frames() { return frames; }

    public void flush() throws CanException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new CanException("flushing the candump log failed: " + e.getMessage(), e);
        }
    }

    @Override public void close() throws CanException {
        try {
            out.close();
        } catch (IOException e) {
            throw new CanException("closing the candump log failed: " + e.getMessage(), e);
        }
    }
}
