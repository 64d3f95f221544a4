package dev.vgate.rules;

/**
 * The time integral of one signal over a fixed window, sample and hold (each sample's value holds until the
 * next one): a preallocated ring of the samples from the newest one at or before {@code now - window} on,
 * and the running area of the segments between them. O(1) amortised per sample and per query.
 * When more samples arrive than the ring holds the oldest are dropped: the integral is then unknown until
 * the ring covers the window again ({@link #overflows()} counts it).
 */
final class IntegralWindow {
    final int signalIndex;
    final long windowNanos;
    private final int mask;
    private final long[] t;
    private final double[] v;
    private int head, size;
    /** Sum of v[i] * (t[i+1] - t[i]) over consecutive samples in the ring, in value × nanoseconds. */
    private double area;
    private long overflows;

    IntegralWindow(int signalIndex, long windowNanos, int capacity) {
        this.signalIndex = signalIndex;
        this.windowNanos = windowNanos;
        int cap = SlidingWindow.ringSize(capacity);
        mask = cap - 1;
        t = new long[cap];
        v = new double[cap];
    }

    void add(long time, double value) {
        if (Double.isNaN(value)) return;
        if (size == t.length) {
            dropHead();
            overflows++;
        }
        if (size > 0) {
            int last = (head + size - 1) & mask;
            area += v[last] * (double) (time - t[last]);
        }
        int k = (head + size) & mask;
        t[k] = time;
        v[k] = value;
        size++;
    }

    private void dropHead() {
        if (size >= 2) {
            int next = (head + 1) & mask;
            area -= v[head] * (double) (t[next] - t[head]);
        }
        head = (head + 1) & mask;
        if (--size <= 1) area = 0; // no segment left: reset the sum (no drift carried on)
    }

    /** ∫ value dt over [now - window, now] in value × seconds, or NaN while the history is shorter than the window. */
    double integral(long now) {
        long edge = now - windowNanos;
        while (size >= 2 && t[(head + 1) & mask] <= edge) dropHead();
        if (size == 0 || t[head] > edge) return Double.NaN;
        int last = (head + size - 1) & mask;
        double a = area - v[head] * (double) (edge - t[head]) + v[last] * (double) (now - t[last]);
        return a / 1e9;
    }

    long overflows() { return overflows; }

    /** Bytes of the ring (two arrays), for the rules file's memory account. */
    long bytes() { return 16L * t.length; }

    /** Heap an integral window of this capacity preallocates: two rings of 8-byte entries plus the objects' headers (rules_memory). */
    static long bytesFor(int capacity) {
        return 2L * (16 + 8L * SlidingWindow.ringSize(capacity)) + 64;
    }
}
