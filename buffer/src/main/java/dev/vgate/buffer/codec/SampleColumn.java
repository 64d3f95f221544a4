package dev.vgate.buffer.codec;

import java.util.Arrays;

/** Timestamps (µs) and raw values of one signal, in arrival order; growable, reusable via {@link #clear()}. */
public final class SampleColumn {
    private long[] ts;
    private long[] raw;
    private int size;

    public SampleColumn() { this(16); }

    public SampleColumn(int capacity) {
        ts = new long[Math.max(4, capacity)];
        raw = new long[ts.length];
    }

    public void add(long timestampUs, long rawValue) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            raw = Arrays.copyOf(raw, size * 2);
        }
        ts[size] = timestampUs;
        raw[size] = rawValue;
        size++;
    }

    public void addAll(SampleColumn other) {
        ensure(size + other.size);
        System.arraycopy(other.ts, 0, ts, size, other.size);
        System.arraycopy(other.raw, 0, raw, size, other.size);
        size += other.size;
    }

    private void ensure(int capacity) {
        if (capacity > ts.length) {
            int n = Math.max(capacity, ts.length * 2);
            ts = Arrays.copyOf(ts, n);
            raw = Arrays.copyOf(raw, n);
        }
    }

    /** Makes room for {@code n} samples and sets the size; the caller fills {@link #timestamps()}/{@link #raws()}. */
    public void resize(int n) {
        ensure(n);
        size = n;
    }

    public int size() { return size; }

    public long timestamp(int i) { return ts[i]; }

    public long raw(int i) { return raw[i]; }

    /** Backing arrays (valid up to {@link #size()}). */
    public long[] timestamps() { return ts; }

    public long[] raws() { return raw; }

    public void clear() { size = 0; }
}
