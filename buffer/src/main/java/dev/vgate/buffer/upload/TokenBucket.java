package dev.vgate.buffer.upload;

/** Bytes per second with a burst of one second; rate 0 means unlimited. Single-threaded (the uploader's). */
final class TokenBucket {
    private final long rate;
    private double tokens;
    private long lastMs = Long.MIN_VALUE;

    TokenBucket(long bytesPerSecond) {
        this.rate = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    boolean mayPublish(long nowMs) {
        if (rate == 0) return true;
        if (lastMs != Long.MIN_VALUE) tokens = Math.min(rate, tokens + (nowMs - lastMs) * rate / 1000.0);
        lastMs = nowMs;
        return tokens > 0;
    }

    /** Spends what was sent; may go negative so a large batch delays the next one proportionally. */
    void spend(long bytes) { if (rate != 0) tokens -= bytes; }
}
