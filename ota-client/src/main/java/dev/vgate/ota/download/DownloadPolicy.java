package dev.vgate.ota.download;

import java.time.Duration;

/**
 * Retry and bandwidth settings. Attempts are counted across all mirrors; the backoff doubles from
 * {@code initialBackoff} up to {@code maxBackoff}. {@code bytesPerSecond} 0 means uncapped.
 */
public record DownloadPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, long bytesPerSecond,
                             Duration connectTimeout, Duration readTimeout) {
    public static final DownloadPolicy DEFAULT = new DownloadPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(1), 0,
            Duration.ofSeconds(20), Duration.ofSeconds(60));

    public DownloadPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (bytesPerSecond < 0) throw new IllegalArgumentException("bytesPerSecond must be >= 0");
    }

    public DownloadPolicy withBandwidth(long bps) {
        return new DownloadPolicy(maxAttempts, initialBackoff, maxBackoff, bps, connectTimeout, readTimeout);
    }
}
