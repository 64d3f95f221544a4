package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.install.Slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.vgate.ota.OtaException.Reason.CONFIG;

/**
 * Which slot is running. The bootloader's choice (primary) is not the answer: after a fallback or before a
 * reboot they differ. First a kernel command-line parameter the boot script sets ({@code vgate.slot=A},
 * or RAUC's {@code rauc.slot=A}), then the block device mounted at the root compared with the slot devices.
 */
public final class BootedSlot {
    private BootedSlot() {}

    public static String detect(Path procCmdline, Path rootMount, Slot a, Slot b) throws OtaException {
        try {
            if (Files.isReadable(procCmdline)) {
                for (String arg : Files.readString(procCmdline).trim().split("\\s+")) {
                    for (String key : new String[] {"vgate.slot=", "rauc.slot="}) {
                        if (!arg.startsWith(key)) continue;
                        String v = arg.substring(key.length());
                        if (v.equals("A") || v.equals("B")) return v;
                        throw new OtaException(CONFIG, procCmdline + ": " + arg + " names neither slot A nor B");
                    }
                }
            }
            Object root = Files.getAttribute(rootMount, "unix:dev");
            for (Slot s : new Slot[] {a, b}) {
                if (Files.exists(s.device()) && !Files.isRegularFile(s.device()) && root.equals(Files.getAttribute(s.device(), "unix:rdev")))
                    return s.name();
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new OtaException(CONFIG, "cannot tell which slot is running: " + e.getMessage(), e);
        }
        throw new OtaException(CONFIG, "cannot tell which slot is running: no vgate.slot=/rauc.slot= on " + procCmdline
                + " and " + rootMount + " is mounted from neither " + a.device() + " nor " + b.device());
    }

    /** On a running Linux system: /proc/cmdline and the root filesystem. */
    public static String detect(Slot a, Slot b) throws OtaException {
        return detect(Path.of("/proc/cmdline"), Path.of("/"), a, b);
    }
}
