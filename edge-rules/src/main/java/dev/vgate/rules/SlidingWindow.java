package dev.vgate.rules;

/**
 * The recent history of one signal over a fixed time window, in preallocated rings: running max and
 * min over the samples with {@code t >= now - window} (monotonic deques, O(1) amortised per sample), and the
 * reference sample for changes: the newest sample with {@code t <= now - window}. When more samples arrive
 * than the rings hold, the oldest are dropped (the window then covers less time; {@link #overflows()} counts it).
 */
final class SlidingWindow {
    final int signalIndex;
    final long windowNanos;
    private final int mask;
    // all samples not older than the reference sample
    private final long[] t;
    private final double[] v;
    private int head, size;
    // monotonic deques over the samples inside the window: values decreasing (max) / increasing (min)
    private final long[] maxT, minT;
    private final double[] maxV, minV;
    private int maxHead, maxSize, minHead, minSize;
    private long overflows;

    SlidingWindow(int signalIndex, long windowNanos, int capacity) {
        this.signalIndex = signalIndex;
        this.windowNanos = windowNanos;
        int cap = ringSize(capacity);
        mask = cap - 1;
        t = new long[cap];
        v = new double[cap];
        maxT = new long[cap];
        maxV = new double[cap];
        minT = new long[cap];
        minV = new double[cap];
    }

    /** The ring length for a capacity: the next power of two, at least 32. */
    static int ringSize(int capacity) {
        return Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
    }

    /** Heap a window of this capacity preallocates: six rings of 8-byte entries plus the objects' headers. */
    static long bytesFor(int capacity) {
        return 6L * (16 + 8L * ringSize(capacity)) + 64;
    }

    void add(long time, double value) {
        if (Double.isNaN(value)) return;
        if (size == t.length) { head = (head + 1) & mask; size--; overflows++; }
        int k = (head + size) & mask;
        t[k] = time;
        v[k] = value;
        size++;
        while (maxSize > 0 && maxV[(maxHead + maxSize - 1) & mask] <= value) maxSize--;
        if (maxSize == maxT.length) { maxHead = (maxHead + 1) & mask; maxSize--; }
        k = (maxHead + maxSize) & mask;
        maxT[k] = time;
        maxV[k] = value;
        maxSize++;
        while (minSize > 0 && minV[(minHead + minSize - 1) & mask] >= value) minSize--;
        if (minSize == minT.length) { minHead = (minHead + 1) & mask; minSize--; }
        k = (minHead + minSize) & mask;
        minT[k] = time;
        minV[k] = value;
        minSize++;
    }

    /** Largest value with t in [now - window, now], or NaN if none. */
    double max(long now) {
        long from = now - windowNanos;
        while (maxSize > 0 && maxT[maxHead] < from) { maxHead = (maxHead + 1) & mask; maxSize--; }
        return maxSize == 0 ? Double.NaN : maxV[maxHead];
    }

    /** Smallest value with t in [now - window, now], or NaN if none. */
    double min(long now) {
        long from = now - windowNanos;
        while (minSize > 0 && minT[minHead] < from) { minHead = (minHead + 1) & mask; minSize--; }
        return minSize == 0 ? Double.NaN : minV[minHead];
    }

    /** Drops samples older than the reference; returns true when a reference sample (t &lt;= now - window) exists. */
    private boolean settle(long now) {
        long edge = now - windowNanos;
        while (size >= 2 && t[(head + 1) & mask] <= edge) { head = (head + 1) & mask; size--; }
        return size > 0 && t[head] <= edge;
    }

    /** Value of the newest sample at or before now - window, or NaN while the history is shorter than the window. */
    double referenceValue(long now) { return settle(now) ? v[head] : Double.NaN; }

    /** Time of that reference sample (only valid after {@link #referenceValue} returned a number). */
    long referenceTime() { return t[head]; }

    long overflows() { return overflows; }
}
