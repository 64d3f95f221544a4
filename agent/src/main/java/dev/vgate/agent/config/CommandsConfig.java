package dev.vgate.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Signed cloud commands.
 *
 * @param trust           trust file: the public keys allowed to sign commands
 * @param clockSkew       how far a command's timestamp may be from the gateway's clock
 * @param maxPayload      larger command messages are rejected unread
 * @param canMapping      optional file mapping command names to CAN frames (null: no CAN commands)
 */
public record CommandsConfig(Path trust, Duration clockSkew, int maxPayload, Path canMapping) {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024;
}
