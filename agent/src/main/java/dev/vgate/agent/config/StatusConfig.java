package dev.vgate.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The health/status summary.
 *
 * @param file          where the running agent writes it ({@code vgate status} reads it)
 * @param publishPeriod how often it is written and published over MQTT
 */
public record StatusConfig(Path file, Duration publishPeriod) {
    public static final Path DEFAULT_FILE = Path.of("/run/vgate/status.json");
    public static final Duration DEFAULT_PUBLISH_PERIOD = Duration.ofSeconds(30);

    public static StatusConfig defaults() {
        return new StatusConfig(DEFAULT_FILE, DEFAULT_PUBLISH_PERIOD);
    }
}
