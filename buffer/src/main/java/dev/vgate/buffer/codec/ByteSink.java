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

    public byte[] toByteArray() { return Arrays.copyOf(buf, size); }
}
