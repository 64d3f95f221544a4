package dev.vgate.agent.config;

import java.nio.file.Path;

/** How the bootloader is told which slot to boot: one record per backend, chosen once from the config. */
public sealed interface BootControl {
    /** The backend's name as written in the config file. */
    String backend();

    /**
     * The U-Boot environment described by a libubootenv fw_env.config (vgate reads and writes it itself), in
     * one of two variable schemes:
     * <ul>
     *   <li>{@link UbootScheme#BOOTCOUNT}: U-Boot's own boot counting (CONFIG_BOOTCOUNT_LIMIT + BOOTCOUNT_ENV):
     *   the slot is the value of {@code slotVariable} ({@code slotAValue} / {@code slotBValue}), a trial
     *   sets {@code upgrade_available=1}, {@code bootcount=0}, and {@code bootlimit} = {@code attempts}; the
     *   board's {@code altbootcmd} falls back. The defaults are Mender's ({@code mender_boot_part=2|3});</li>
     *   <li>{@link UbootScheme#RAUC}: a boot script keeping {@code BOOT_ORDER}, {@code BOOT_A_LEFT},
     *   {@code BOOT_B_LEFT}, with {@code attempts} tries for a new slot.</li>
     * </ul>
     */
    record UBoot(Path fwEnvConfig, UbootScheme scheme, String slotVariable, String slotAValue, String slotBValue,
                 int attempts) implements BootControl {
        public static final Path DEFAULT_FW_ENV_CONFIG = Path.of("/etc/fw_env.config");
        public static final String DEFAULT_SLOT_VARIABLE = "mender_boot_part";
        public static final String DEFAULT_SLOT_A_VALUE = "2";
        public static final String DEFAULT_SLOT_B_VALUE = "3";
        public static final int DEFAULT_ATTEMPTS = 3;

        /** The bootcount scheme with Mender's variable names. */
        public UBoot(Path fwEnvConfig) {
            this(fwEnvConfig, UbootScheme.BOOTCOUNT, DEFAULT_SLOT_VARIABLE, DEFAULT_SLOT_A_VALUE, DEFAULT_SLOT_B_VALUE,
                    DEFAULT_ATTEMPTS);
        }

        @Override public String backend() {
            return "uboot";
        }
    }

    /** How the U-Boot environment says which slot to boot and counts the attempts. */
    enum UbootScheme { BOOTCOUNT, RAUC }

    /** GRUB environment block edited with grub-editenv. */
    record Grub(Path grubenv) implements BootControl {
        @Override public String backend() {
            return "grub";
        }
    }

    /** A plain state file (demo, tests, bootloaders integrated by a script): no real boot switch. */
    record File(Path stateFile) implements BootControl {
        @Override public String backend() {
            return "file";
        }
    }
}
