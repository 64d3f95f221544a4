package dev.vgate.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A/B updates.
 *
 * @param slotA              device (or file) of slot A
 * @param slotB              device (or file) of slot B
 * @param bootControl        bootloader backend and its settings
 * @param trust              trust file for update manifests (null: the commands trust file)
 * @param rebootCommand      argv run to reboot into the updated slot
 * @param healthDeadline     after a slot switch, the new slot must pass its health checks within this time,
 *                           otherwise vgate does not confirm it and the bootloader falls back
 * @param healthCommands     external checks (argv lists); each must exit 0 before the slot is confirmed
 */
public record OtaConfig(Path slotA, Path slotB, BootControl bootControl, Path trust, List<String> rebootCommand,
                        Duration healthDeadline, List<List<String>> healthCommands) {
    public static final List<String> DEFAULT_REBOOT_COMMAND = List.of("/bin/systemctl", "reboot");
    public static final Duration DEFAULT_HEALTH_DEADLINE = Duration.ofMinutes(5);

    public OtaConfig {
        rebootCommand = rebootCommand == null ? List.of() : List.copyOf(rebootCommand);
        healthCommands = healthCommands == null ? List.of() : healthCommands.stream().map(List::copyOf).toList();
    }
}
