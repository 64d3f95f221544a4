package dev.vgate.buffer.upload;

import dev.vgate.buffer.wire.Compression;

/**
 * Upload settings. {@code batchIntervalMs}: how often a batch of fresh normal/bulk data is formed (longer =
 * smaller bytes/sample, later data); {@code drainBytesPerSecond}: the backlog's rate after an outage (0 = no
 * limit; alerts are never limited); backoff doubles from {@code initialBackoffMs} to {@code maxBackoffMs}
 * with full jitter.
 */
public record UploaderConfig(String vehicleId, Compression compression, long batchIntervalMs, int maxBatchSamples,
                             long drainBytesPerSecond, int maxInflight, long initialBackoffMs, long maxBackoffMs,
                             long bulkExpirySeconds) {

    public static UploaderConfig defaults(String vehicleId) {
        return new UploaderConfig(vehicleId, Compression.XZ, 10_000, 250_000, 64 * 1024, 2, 500, 60_000, 86_400);
    }

    public UploaderConfig {
        if (vehicleId == null || vehicleId.isBlank() || vehicleId.contains("/") || vehicleId.contains("+") || vehicleId.contains("#")) {
            throw new IllegalArgumentException("vehicle id '" + vehicleId + "' must be non-empty and free of '/', '+', '#'");
        }
        if (batchIntervalMs < 0 || maxBatchSamples < 1 || drainBytesPerSecond < 0 || maxInflight < 1
                || initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs || bulkExpirySeconds < 0) {
            throw new IllegalArgumentException("invalid upload settings: " + this);
        }
    }

    public UploaderConfig withBatchInterval(long ms) {
        return new UploaderConfig(vehicleId, compression, ms, maxBatchSamples, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withDrainRate(long bytesPerSecond) {
        return new UploaderConfig(vehicleId, compression, batchIntervalMs, maxBatchSamples, bytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withBackoff(long initialMs, long maxMs) {
        return new UploaderConfig(vehicleId, compression, batchIntervalMs, maxBatchSamples, drainBytesPerSecond, maxInflight, initialMs, maxMs, bulkExpirySeconds);
    }

    public UploaderConfig withMaxBatchSamples(int n) {
        return new UploaderConfig(vehicleId, compression, batchIntervalMs, n, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withCompression(Compression c) {
        return new UploaderConfig(vehicleId, c, batchIntervalMs, maxBatchSamples, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public String telemetryTopic() { return "vgate/" + vehicleId + "/telemetry"; }

    public String alertTopic() { return "vgate/" + vehicleId + "/alerts"; }
}
