package dev.vgate.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Collection and store-and-forward upload.
 *
 * @param policy                collection policy file (null: every decoded signal, every frame)
 * @param groupCommit           how long samples are grouped before one SQLite commit
 * @param diskQuota             the buffer's size limit on disk; the oldest unsent data goes first
 * @param uploadBatchSize       samples per upload message at most (a cap for backlogs: in steady state one message per interval)
 * @param uploadBatchBytes      buffered (encoded chunk) bytes per upload message at most: bounds the message and the
 *                              memory its encoding needs; like the sample cap, reached only by a backlog
 * @param uploadInterval        how often fresh data is batched and published, all of it in one message (longer: fewer
 *                              bytes per sample, later data)
 * @param uploadDrainRate       bytes per second at most while catching up a backlog after an outage (0: no limit;
 *                              alerts are never limited)
 */
public record TelemetryConfig(Path policy, Duration groupCommit, long diskQuota, int uploadBatchSize, long uploadBatchBytes,
                              Duration uploadInterval, long uploadDrainRate) {
    public static final Duration DEFAULT_GROUP_COMMIT = Duration.ofSeconds(1);
    public static final long DEFAULT_DISK_QUOTA = 256L << 20;
    public static final int DEFAULT_UPLOAD_BATCH_SIZE = dev.vgate.buffer.upload.UploaderConfig.DEFAULT_MAX_BATCH_SAMPLES;
    public static final long DEFAULT_UPLOAD_BATCH_BYTES = dev.vgate.buffer.upload.UploaderConfig.DEFAULT_MAX_BATCH_STORED_BYTES;
    public static final Duration DEFAULT_UPLOAD_INTERVAL = Duration.ofMillis(dev.vgate.buffer.upload.UploaderConfig.DEFAULT_BATCH_INTERVAL_MS);
    public static final long DEFAULT_UPLOAD_DRAIN_RATE = 64 * 1024;

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(null, DEFAULT_GROUP_COMMIT, DEFAULT_DISK_QUOTA, DEFAULT_UPLOAD_BATCH_SIZE,
                DEFAULT_UPLOAD_BATCH_BYTES, DEFAULT_UPLOAD_INTERVAL, DEFAULT_UPLOAD_DRAIN_RATE);
    }
}
