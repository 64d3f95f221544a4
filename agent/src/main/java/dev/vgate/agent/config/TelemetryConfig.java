package dev.vgate.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Collection and store-and-forward upload.
 *
 * @param policy                collection policy file (null: every decoded signal, every frame)
 * @param groupCommit           how long samples are grouped before one SQLite commit
 * @param diskQuota             the buffer's size limit on disk; the oldest unsent data goes first
 * @param uploadBatchSize       samples per upload message at most
 * @param uploadBatchesPerSecond upload messages per second at most (bounds the catch-up burst after an outage)
 */
public record TelemetryConfig(Path policy, Duration groupCommit, long diskQuota, int uploadBatchSize,
                              int uploadBatchesPerSecond) {
    public static final Duration DEFAULT_GROUP_COMMIT = Duration.ofSeconds(1);
    public static final long DEFAULT_DISK_QUOTA = 256L << 20;
    public static final int DEFAULT_UPLOAD_BATCH_SIZE = 1000;
    public static final int DEFAULT_UPLOAD_BATCHES_PER_SECOND = 10;

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(null, DEFAULT_GROUP_COMMIT, DEFAULT_DISK_QUOTA, DEFAULT_UPLOAD_BATCH_SIZE,
                DEFAULT_UPLOAD_BATCHES_PER_SECOND);
    }
}
