package dev.vgate.buffer.codec;

import java.util.Arrays;

/** A growable byte array; reused across chunks via {@link #reset()}. */
public final class ByteSink {
    private byte[] buf;
    private int size;

    public ByteSink() { this(64); }

    public ByteSink(int initialCapacity) { buf = new byte[Math.max(16, initialCapacity)]; }

    public void write(int b) {
        if (size == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        buf[size++] = (byte) b;
    }

    public int size() { return size; }

    public void reset() { size = 0; }

    /** The backing array (valid up to {@link #size()}). */
    public byte[] buffer() { return buf; }

    public void write(byte[] b, int off, int len) {
        if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(size + len, buf.length * 2));
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    public ByteSink copy() {
        ByteSink c = new ByteSink(size);
        c.write(buf, 0, size);
        return c;
    }

    public byte[] toByteArray() { return Arrays.copyOf(buf, size); }
}
