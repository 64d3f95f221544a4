package dev.vgate.ota.patch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** An InputStream over [start, start+length) of a {@link PatchSource}; a decompressor cannot read past it. */
final class SourceRangeInputStream extends InputStream {
    private final PatchSource src;
    private long pos;
    private final long end;

    SourceRangeInputStream(PatchSource src, long start, long length) {
        this.src = src;
        this.pos = start;
        this.end = start + length;
    }

    @Override public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos >= end) return -1;
        int n = src.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
        if (n < 0) return -1;
        pos += n;
        return n;
    }

    @Override public int available() { return (int) Math.min(Integer.MAX_VALUE, end - pos); }
}
