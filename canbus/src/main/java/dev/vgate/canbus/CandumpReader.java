package dev.vgate.canbus;

import dev.vgate.input.BoundedLineReader;
import dev.vgate.input.Untrusted;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams frames out of a {@code candump -L} log, one line at a time, without allocating per line.
 * A line that is not a frame is reported to the {@link BadLineListener} with its line number and
 * skipped; blank lines are ignored. Counters say what was read.
 */
public final class CandumpReader implements AutoCloseable {

    /** Told about each line that was skipped. */
    @FunctionalInterface
    public interface BadLineListener {
        void onBadLine(String source, long lineNumber, String line, String reason);

        BadLineListener LOG = (source, lineNumber, line, reason) ->
                Logger.warn("{}:{}: skipped bad candump line: {}: \"{}\"", source, lineNumber, Untrusted.escape(reason),
                        Untrusted.escape(line, 120)); // the log is input: its bytes must not forge log lines
    }

    /**
     * The same bound as every other line-oriented input ({@link BoundedLineReader#DEFAULT_MAX_LINE}). This reader does
     * not use BoundedLineReader itself: it must not allocate a String per frame (the replay path), and a line over the
     * bound is one bad line to skip, not the end of the log.
     */
    private static final int MAX_LINE = BoundedLineReader.DEFAULT_MAX_LINE;

    private final Reader in;
    private final String source;
    private final BadLineListener listener;
    private final char[] buf = new char[16384];
    private int pos;
    private int end;
    private boolean eof;
    private final StringBuilder line = new StringBuilder(256);
    private long lineNumber;
    private boolean tooLong; // the line just read was cut at MAX_LINE
    private long frames;
    private long badLines;

    public CandumpReader(Reader in, String source, BadLineListener listener) {
        this.in = in;
        this.source = source;
        this.listener = listener;
    }

    public static CandumpReader open(Path file, BadLineListener listener) throws CanException {
        try {
            return new CandumpReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString(), listener);
        } catch (IOException e) {
            throw new CanException("cannot open candump log " + file + ": " + e.getMessage(), e);
        }
    }

    public static CandumpReader of(InputStream in, String source, BadLineListener listener) {
        return new CandumpReader(new InputStreamReader(in, StandardCharsets.UTF_8), source, listener);
    }

    /**
     * Reads the next frame into {@code into}.
     *
     * @return false at the end of the log
     * @throws CanException when reading fails (the frames returned so far stay valid)
     */
    public boolean next(CanFrame into) throws CanException {
        while (readLine()) {
            if (tooLong) {
                badLines++;
                listener.onBadLine(source, lineNumber, line.toString(), "line longer than " + MAX_LINE + " characters");
                continue;
            }
            if (isBlank(line)) continue;
            try {
                CandumpFormat.parseLogLine(line, into);
                frames++;
                return true;
            } catch (CandumpParseException e) {
                badLines++;
                listener.onBadLine(source, lineNumber, line.toString(), e.getMessage());
            }
        }
        return false;
    }

    private boolean readLine() throws CanException {
        line.setLength(0);
        boolean any = false;
        tooLong = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (any) lineNumber++;
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') pos++;
            int stop = pos;
            if (stop > start && buf[stop - 1] == '\r' && pos < end) stop--;
            if (!tooLong) {
                line.append(buf, start, stop - start);
                if (line.length() > MAX_LINE) { tooLong = true; line.setLength(MAX_LINE); }
            }
            if (pos < end) {
                pos++; // the '\n'
                lineNumber++;
                return true;
            }
        }
    }

    private boolean fill() throws CanException {
        try {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) { eof = true; return false; }
            pos = 0;
            end = n;
            return true;
        } catch (IOException e) {
            throw new CanException(source + ":" + (lineNumber + 1) + ": reading the candump log failed: " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(CharSequence s) {
        for (int k = 0; k < s.length(); k++) if (!Character.isWhitespace(s.charAt(k))) return false;
        return true;
    }

    public String source() { return source; }
    /** Lines read so far, blank and bad ones included. */
    public long lines() { return lineNumber; }
    public long frames() { return frames; }
    public long badLines() { return badLines; }

    @Override public void close() throws CanException {
        try {
            in.close();
        } catch (IOException e) {
            throw new CanException("closing " + source + " failed: " + e.getMessage(), e);
        }
    }
}
