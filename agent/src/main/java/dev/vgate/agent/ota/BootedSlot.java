package dev.vgate.agent.ota;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.install.Slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/**
 * Which slot the running system was booted from, read from the kernel command line: RAUC's
 * {@code rauc.slot=A|B}, or {@code root=} naming one of the slot devices ({@code /dev/...},
 * {@code PARTUUID=}, {@code PARTLABEL=}, {@code UUID=}, {@code LABEL=} through {@code /dev/disk/by-*}).
 * The bootloader's variables cannot tell: after a switch they name the next slot, not the running one.
 */
public final class BootedSlot {
    public static final Path PROC_CMDLINE = Path.of("/proc/cmdline");

    private BootedSlot() {}

    /** @param slots "A" and "B" with their devices */
    public static String detect(String cmdline, Map<String, Slot> slots) throws OtaException {
        String root = null;
        for (String token : cmdline.trim().split("\\s+")) {
            if (token.startsWith("rauc.slot=")) {
                String s = token.substring("rauc.slot=".length());
                if (slots.containsKey(s)) return s;
                throw new OtaException(BOOT_CONTROL, "kernel command line: rauc.slot=" + s + " is neither slot A nor B");
            }
            if (token.startsWith("root=")) root = token.substring("root=".length());
        }
        if (root == null)
            throw new OtaException(BOOT_CONTROL, "kernel command line has neither rauc.slot= nor root=, so the booted slot is unknown: \"" + cmdline.trim() + "\"");
        Path dev = rootDevice(root);
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            if (sameDevice(dev, e.getValue().device())) return e.getKey();
        }
        throw new OtaException(BOOT_CONTROL, "kernel command line root=" + root + " is neither slot A (" + slots.get("A").device()
                + ") nor slot B (" + slots.get("B").device() + ")");
    }

    public static String detect(Path cmdlineFile, Map<String, Slot> slots) throws OtaException {
        try {
            return detect(Files.readString(cmdlineFile), slots);
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "cannot read " + cmdlineFile + ": " + e.getMessage(), e);
        }
    }

    static Path rootDevice(String root) {
        int eq = root.indexOf('=');
        if (eq > 0 && !root.startsWith("/")) {
            String kind = root.substring(0, eq).toLowerCase(java.util.Locale.ROOT), id = root.substring(eq + 1);
            return Path.of("/dev/disk/by-" + kind, kind.equals("partuuid") || kind.equals("uuid") ? id.toLowerCase(java.util.Locale.ROOT) : id);
        }
        return Path.of(root);
    }

    /** Same file after symlinks, or (device nodes in different /dev trees) the same device number. */
    static boolean sameDevice(Path a, Path b) {
        try {
            if (!Files.exists(a) || !Files.exists(b)) return a.normalize().equals(b.normalize());
            if (Files.isSameFile(a, b)) return true;
            Object ra = Files.getAttribute(a, "unix:rdev"), rb = Files.getAttribute(b, "unix:rdev");
            return ra instanceof Long la && rb instanceof Long lb && la != 0 && la.equals(lb);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
