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
 * @param trust              the trust file when commands are off (with commands on, commands.trust is the one trust
 *                           file and this may only name the same file)
 * @param rebootCommand      argv run to reboot into the updated slot
 * @param healthDeadline     after a slot switch, the new slot must pass its health checks within this time,
 *                           otherwise vgate does not confirm it and the bootloader falls back
 * @param healthCommands     external checks (argv lists); each must exit 0 before the slot is confirmed
 * @param hardwareId         this device's hardware id (an update manifest must list it); null: the first line of
 *                           {@link #DEFAULT_HARDWARE_ID_FILE}
 * @param imageVersion       version of the running image when no install recorded one; null: VERSION_ID of
 *                           {@link #DEFAULT_OS_RELEASE}
 * @param bootedSlot         "A" or "B" to state the running slot (file backend, tests); null: detected from the
 *                           kernel command line ({@code vgate.slot=}) or the root device
 */
public record OtaConfig(Path slotA, Path slotB, BootControl bootControl, Path trust, List<String> rebootCommand,
                        Duration healthDeadline, List<List<String>> healthCommands, String hardwareId,
                        String imageVersion, String bootedSlot) {
    public static final Path DEFAULT_HARDWARE_ID_FILE = Path.of("/etc/vgate/hardware-id");
    public static final Path DEFAULT_OS_RELEASE = Path.of("/etc/os-release");
    public static final List<String> DEFAULT_REBOOT_COMMAND = List.of("/bin/systemctl", "reboot");
    public static final Duration DEFAULT_HEALTH_DEADLINE = Duration.ofMinutes(5);

    public OtaConfig {
        rebootCommand = rebootCommand == null ? List.of() : List.copyOf(rebootCommand);
        healthCommands = healthCommands == null ? List.of() : healthCommands.stream().map(List::copyOf).toList();
    }
}
