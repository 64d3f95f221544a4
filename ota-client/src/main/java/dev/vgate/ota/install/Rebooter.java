package dev.vgate.ota.install;

import dev.vgate.ota.OtaException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/** Restarts the device into the bootloader's choice. */
@FunctionalInterface
public interface Rebooter {
    /** For {@code vgate ota apply} and tests: the switch is left to the caller. */
    Rebooter NONE = () -> {};

    void reboot() throws OtaException;

    /** Runs a configured command, e.g. {@code systemctl reboot}. */
    static Rebooter command(List<String> cmd) {
        return () -> {
            try {
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new OtaException(BOOT_CONTROL, "reboot command " + cmd + " did not finish in 60 s");
                }
                if (p.exitValue() != 0) throw new OtaException(BOOT_CONTROL, "reboot command " + cmd + " exited " + p.exitValue());
            } catch (IOException e) {
                throw new OtaException(BOOT_CONTROL, "cannot run reboot command " + cmd + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OtaException(BOOT_CONTROL, "interrupted while rebooting", e);
            }
        };
    }
}
