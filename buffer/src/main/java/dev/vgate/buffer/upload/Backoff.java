package dev.vgate.buffer.upload;

import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter: the n-th retry waits a uniform time in [base, min(max, base·2^n)]. */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final RandomGenerator random;
    private int failures;

    Backoff(long initialMs, long maxMs, RandomGenerator random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    long nextDelayMs() {
        int n = Math.min(failures++, 30);
        long cap = Math.min(maxMs, initialMs << n);
        return cap <= initialMs ? initialMs : initialMs + random.nextLong(cap - initialMs + 1);
    }

    void reset() { failures = 0; }

    int failures() { return failures; }
}
