package dev.vgate.buffer.store;

/** Samples held per priority, bytes in use, and the data-loss counters not yet reported in a batch. */
public record StoreStats(long alertSamples, long normalSamples, long bulkSamples, long usedBytes, DataLoss unreported, long captureSamples) {
    public StoreStats(long alertSamples, long normalSamples, long bulkSamples, long usedBytes, DataLoss unreported) {
        this(alertSamples, normalSamples, bulkSamples, usedBytes, unreported, 0);
    }

    public long totalSamples() { return alertSamples + normalSamples + bulkSamples + captureSamples; }
}
