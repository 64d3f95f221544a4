package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.install.Slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static dev.vgate.ota.OtaException.Reason.CONFIG;

/**
 * Which slot is running: vgate's one detector, used by the daemon and by every {@code vgate ota} device
 * command. The bootloader's choice (primary) is not the answer: after a switch it names the next slot, after
 * a fallback the old one. In this order:
 * <ol>
 *   <li>a kernel command-line parameter the boot script sets: {@code vgate.slot=A|B}, or RAUC's {@code rauc.slot=};</li>
 *   <li>{@code root=} on the kernel command line naming one of the slot devices ({@code /dev/...} directly or
 *   through a symlink, or {@code PARTUUID=}, {@code PARTLABEL=}, {@code UUID=}, {@code LABEL=} through
 *   {@code /dev/disk/by-*});</li>
 *   <li>the block device mounted at {@code /} compared with the slot devices.</li>
 * </ol>
 */
public final class BootedSlot {
    public static final Path PROC_CMDLINE = Path.of("/proc/cmdline");

    private BootedSlot() {}

    public static String detect(Path procCmdline, Path rootMount, Slot a, Slot b) throws OtaException {
        String cmdline = "";
        if (Files.isReadable(procCmdline)) {
            try {
                cmdline = Files.readString(procCmdline).trim();
            } catch (IOException e) {
                throw new OtaException(CONFIG, "cannot read " + procCmdline + ": " + e.getMessage(), e);
            }
        }
        String root = null;
        for (String arg : cmdline.split("\\s+")) {
            for (String key : new String[] {"vgate.slot=", "rauc.slot="}) {
                if (!arg.startsWith(key)) continue;
                String v = arg.substring(key.length());
                if (v.equals("A") || v.equals("B")) return v;
                throw new OtaException(CONFIG, procCmdline + ": " + arg + " names neither slot A nor B");
            }
            if (arg.startsWith("root=")) root = arg.substring("root=".length());
        }
        if (root != null) {
            Path dev = rootDevice(root);
            for (Slot s : new Slot[] {a, b}) if (sameDevice(dev, s.device())) return s.name();
        }
        try {
            Object mounted = Files.getAttribute(rootMount, "unix:dev");
            for (Slot s : new Slot[] {a, b}) {
                if (Files.exists(s.device()) && !Files.isRegularFile(s.device()) && mounted.equals(Files.getAttribute(s.device(), "unix:rdev")))
                    return s.name();
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new OtaException(CONFIG, "cannot tell which slot is running: " + e.getMessage(), e);
        }
        throw new OtaException(CONFIG, "cannot tell which slot is running: no vgate.slot=/rauc.slot= on " + procCmdline
                + (root == null ? ", no root= there" : ", its root=" + root + " is neither slot")
                + ", and " + rootMount + " is mounted from neither slot A (" + a.device() + ") nor slot B (" + b.device() + ")");
    }

    /** On a running Linux system: /proc/cmdline and the root filesystem. */
    public static String detect(Slot a, Slot b) throws OtaException {
        return detect(PROC_CMDLINE, Path.of("/"), a, b);
    }

    /** The device a {@code root=} value names. */
    static Path rootDevice(String root) {
        int eq = root.indexOf('=');
        if (eq > 0 && !root.startsWith("/")) {
            String kind = root.substring(0, eq).toLowerCase(Locale.ROOT), id = root.substring(eq + 1);
            return Path.of("/dev/disk/by-" + kind, kind.equals("partuuid") || kind.equals("uuid") ? id.toLowerCase(Locale.ROOT) : id);
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
