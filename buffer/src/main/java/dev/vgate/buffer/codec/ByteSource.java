package dev.vgate.buffer.codec;

/** Reads a byte array front to back; running off the end is a {@link CodecException}, not an index error. */
public final class ByteSource {
    private final byte[] data;
    private int pos;

    public ByteSource(byte[] data) { this.data = data; }

    public int read() throws CodecException {
        if (pos >= data.length) throw new CodecException("truncated: needed a byte at offset " + pos + " of " + data.length);
        return data[pos++] & 0xFF;
    }

    public int position() { return pos; }

    public boolean exhausted() { return pos >= data.length; }
}
