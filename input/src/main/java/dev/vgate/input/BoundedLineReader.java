package dev.vgate.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * A {@link BufferedReader} whose {@link #readLine()} refuses a line longer than {@code maxChars} instead of
 * growing a buffer for it: {@code BufferedReader.readLine} keeps a line without a newline in memory whole, so
 * one 1 GB line (or {@code /dev/zero}) exhausts the heap. A line over the limit fails with
 * {@link LineTooLongException} naming the source and the line number, after at most {@code maxChars} plus one
 * buffer of characters were read; the lines before it were returned normally. Lines end at {@code \n}, a
 * {@code \r} before it is dropped (as {@code BufferedReader} does for {@code \r\n}).
 */
public final class BoundedLineReader extends BufferedReader {
    /** For text logs of short records ({@code candump -L}: a CAN FD frame is ~200 characters). */
    public static final int DEFAULT_MAX_LINE = 4096;

    private final Reader in;
    private final String source;
    private final int maxChars;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    private long lineNumber;
    private final StringBuilder line = new StringBuilder(256);

    public BoundedLineReader(Reader in, String source, int maxChars) {
        super(in, 1); // the superclass's buffer is unused: every read goes through this class's own
        if (maxChars < 1) throw new IllegalArgumentException("maxChars must be positive");
        this.in = in;
        this.source = source;
        this.maxChars = maxChars;
    }

    /** UTF-8 text of {@code in}, lines of at most {@code maxChars} ({@code source} names it in errors: "stdin", a path). */
    public static BoundedLineReader utf8(InputStream in, String source, int maxChars) {
        return new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), source, maxChars);
    }

    /** The number of the last line returned (1-based; 0 before the first). */
    public long lineNumber() { return lineNumber; }

    public String source() { return source; }

    @Override public String readLine() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == end && !fill()) {
                if (!any) return null;
                lineNumber++;
                return line.toString();
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') pos++;
            boolean newline = pos < end;
            line.append(buf, start, pos - start);
            // a trailing '\r' (of a "\r\n" split by the buffer's end) does not count
            int length = line.length() - (line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? 1 : 0);
            if (length > maxChars) throw new LineTooLongException(source, lineNumber + 1, maxChars);
            if (newline) {
                pos++;
                lineNumber++;
                if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') line.setLength(line.length() - 1);
                return line.toString();
            }
        }
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        int n;
        do n = in.read(buf, 0, buf.length); while (n == 0);
        if (n < 0) { eof = true; return false; }
        pos = 0;
        end = n;
        return true;
    }

    @Override public int read() throws IOException {
        if (pos == end && !fill()) return -1;
        return buf[pos++];
    }

    @Override public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == end && !fill()) return -1;
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, cbuf, off, n);
        pos += n;
        return n;
    }

    @Override public boolean ready() throws IOException { return pos < end || in.ready(); }

    @Override public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && (pos < end || fill())) {
            int k = (int) Math.min(n - skipped, end - pos);
            pos += k;
            skipped += k;
        }
        return skipped;
    }

    @Override public boolean markSupported() { return false; }

    @Override public void mark(int readAheadLimit) throws IOException { throw new IOException("mark not supported"); }

    @Override public void reset() throws IOException { throw new IOException("reset not supported"); }

    @Override public void close() throws IOException { in.close(); }

    /** A line longer than the reader's limit: {@code "SOURCE:LINE: line longer than N characters"}. */
    public static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long lineNumber;

        public LineTooLongException(String source, long lineNumber, int maxChars) {
            super(source + ":" + lineNumber + ": line longer than " + maxChars + " characters");
            this.lineNumber = lineNumber;
        }

        public long lineNumber() { return lineNumber; }
    }
}
