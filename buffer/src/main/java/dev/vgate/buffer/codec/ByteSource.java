package dev.vgate.buffer.codec;

/** Reads a byte range front to back; running off the end is a {@link CodecException}, not an index error. */
public final class ByteSource {
    private final byte[] data;
    private final int end;
    private int pos;

    public ByteSource(byte[] data) { this(data, 0, data.length); }

    /** Reads {@code data[off, off+len)}. */
    public ByteSource(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) throw new IllegalArgumentException("range " + off + "+" + len + " outside " + data.length + " bytes");
        this.data = data;
        this.pos = off;
        this.end = off + len;
    }

    public int read() throws CodecException {
        if (pos >= end) throw new CodecException("truncated: needed a byte at offset " + pos + " of " + end);
        return data[pos++] & 0xFF;
    }

    public int position() { return pos; }

    public int remaining() { return end - pos; }

    public boolean exhausted() { return pos >= end; }
}
