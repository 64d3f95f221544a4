package dev.vgate.agent.config;

import java.nio.file.Path;

/** How the bootloader is told which slot to boot: one record per backend, chosen once from the config. */
public sealed interface BootControl {
    /** The backend's name as written in the config file. */
    String backend();

    /** U-Boot environment through fw_printenv/fw_setenv (libubootenv) with this fw_env.config. */
    record UBoot(Path fwEnvConfig) implements BootControl {
        public static final Path DEFAULT_FW_ENV_CONFIG = Path.of("/etc/fw_env.config");

        @Override public String backend() {
            return "uboot";
        }
    }

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
