package dev.vgate.buffer.upload;

import dev.vgate.buffer.wire.Compression;

/**
 * Upload settings. {@code batchIntervalMs}: how often a batch of fresh normal/bulk data is formed (longer =
 * smaller bytes/sample, later data): in steady state everything buffered since the last batch goes into one
 * message, so a vehicle publishes at most one telemetry message per interval; {@code maxBatchSamples} and
 * {@code maxBatchStoredBytes} (the buffer's encoded chunk bytes, which bound the message and the memory its
 * encoding needs) cut a batch early only when more has piled up (a backlog, sent back to back at the drain rate); {@code drainBytesPerSecond}: the backlog's rate after an outage (0 = no
 * limit; alerts are never limited); backoff doubles from {@code initialBackoffMs} to {@code maxBackoffMs}
 * with full jitter.
 */
public record UploaderConfig(String vehicleId, String topicPrefix, Compression compression, long batchIntervalMs, int maxBatchSamples,
                             long maxBatchStoredBytes, long drainBytesPerSecond, int maxInflight, long initialBackoffMs, long maxBackoffMs,
                             long bulkExpirySeconds) {

    /** Sized for a cellular fleet: one message per 10 s, up to 2 M samples or 4 MiB of stored chunks in it. */
    public static final long DEFAULT_BATCH_INTERVAL_MS = 10_000;
    public static final int DEFAULT_MAX_BATCH_SAMPLES = 2_000_000;
    public static final long DEFAULT_MAX_BATCH_STORED_BYTES = 4L << 20;

    public static UploaderConfig defaults(String vehicleId) {
        return new UploaderConfig(vehicleId, "vgate/" + vehicleId, Compression.XZ, DEFAULT_BATCH_INTERVAL_MS, DEFAULT_MAX_BATCH_SAMPLES,
                DEFAULT_MAX_BATCH_STORED_BYTES, 64 * 1024, 2, 500, 60_000, 86_400);
    }

    public UploaderConfig {
        if (vehicleId == null || vehicleId.isBlank() || vehicleId.contains("/") || vehicleId.contains("+") || vehicleId.contains("#")) {
            throw new IllegalArgumentException("vehicle id '" + vehicleId + "' must be non-empty and free of '/', '+', '#'");
        }
        if (topicPrefix == null || topicPrefix.isEmpty() || topicPrefix.contains("+") || topicPrefix.contains("#")
                || topicPrefix.startsWith("/") || topicPrefix.endsWith("/") || topicPrefix.contains("//")) {
            throw new IllegalArgumentException("topic prefix '" + topicPrefix + "' must be non-empty, free of '+', '#' and empty levels");
        }
        if (batchIntervalMs < 0 || maxBatchSamples < 1 || maxBatchStoredBytes < 1 || drainBytesPerSecond < 0 || maxInflight < 1
                || initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs || bulkExpirySeconds < 0) {
            throw new IllegalArgumentException("invalid upload settings: " + this);
        }
    }

    public UploaderConfig withBatchInterval(long ms) {
        return new UploaderConfig(vehicleId, topicPrefix, compression, ms, maxBatchSamples, maxBatchStoredBytes, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withDrainRate(long bytesPerSecond) {
        return new UploaderConfig(vehicleId, topicPrefix, compression, batchIntervalMs, maxBatchSamples, maxBatchStoredBytes, bytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withBackoff(long initialMs, long maxMs) {
        return new UploaderConfig(vehicleId, topicPrefix, compression, batchIntervalMs, maxBatchSamples, maxBatchStoredBytes, drainBytesPerSecond, maxInflight, initialMs, maxMs, bulkExpirySeconds);
    }

    public UploaderConfig withMaxBatchSamples(int n) {
        return new UploaderConfig(vehicleId, topicPrefix, compression, batchIntervalMs, n, maxBatchStoredBytes, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withMaxBatchStoredBytes(long bytes) {
        return new UploaderConfig(vehicleId, topicPrefix, compression, batchIntervalMs, maxBatchSamples, bytes, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public UploaderConfig withCompression(Compression c) {
        return new UploaderConfig(vehicleId, topicPrefix, c, batchIntervalMs, maxBatchSamples, maxBatchStoredBytes, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    /** Topics start with {@code mqtt.topic_prefix} (default {@code vgate/<vehicle_id>}), like every topic vgate uses. */
    public UploaderConfig withTopicPrefix(String prefix) {
        return new UploaderConfig(vehicleId, prefix, compression, batchIntervalMs, maxBatchSamples, maxBatchStoredBytes, drainBytesPerSecond, maxInflight, initialBackoffMs, maxBackoffMs, bulkExpirySeconds);
    }

    public String telemetryTopic() { return topicPrefix + "/telemetry"; }

    public String alertTopic() { return topicPrefix + "/alerts"; }
}
