package dev.vgate.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads of files and streams that stop at a byte limit instead of trusting the input's size: a path to
 * {@code /dev/zero}, a FIFO or a file that grows while it is read costs at most {@code limit + 1} bytes of
 * heap, then fails with {@link InputTooLargeException}. The limits themselves are in docs/security.md.
 */
public final class BoundedFiles {
    private BoundedFiles() {}

    /** The whole file, at most {@code limit} bytes. */
    public static byte[] read(Path file, long limit) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, limit, file.toString());
        }
    }

    /** The rest of a stream, at most {@code limit} bytes ({@code what} names it in the error). */
    public static byte[] read(InputStream in, long limit, String what) throws IOException {
        // readNBytes grows its buffer as bytes arrive: the limit is an upper bound, never an allocation
        byte[] b = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 16));
        if (b.length > limit) throw new InputTooLargeException(what, limit);
        return b;
    }

    /** The file as UTF-8 text, malformed bytes replaced. */
    public static String readUtf8(Path file, long limit) throws IOException {
        return new String(read(file, limit), StandardCharsets.UTF_8);
    }

    /** The file as UTF-8 text; malformed UTF-8 is refused ({@link CharacterCodingException}). */
    public static String readUtf8Strict(Path file, long limit) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(read(file, limit))).toString();
    }

    /** A view of {@code in} that fails with {@link InputTooLargeException} once more than {@code limit} bytes were read. */
    public static InputStream limit(InputStream in, long limit, String what) {
        return new FilterInputStream(in) {
            private long count;

            @Override public int read() throws IOException {
                int b = super.read();
                if (b >= 0) count(1);
                return b;
            }

            @Override public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, (int) Math.min(len, limit - count + 1));
                if (n > 0) count(n);
                return n;
            }

            @Override public long skip(long n) throws IOException {
                long s = super.skip(Math.min(n, limit - count + 1));
                if (s > 0) count(s);
                return s;
            }

            private void count(long n) throws IOException {
                count += n;
                if (count > limit) throw new InputTooLargeException(what, limit);
            }
        };
    }
}
