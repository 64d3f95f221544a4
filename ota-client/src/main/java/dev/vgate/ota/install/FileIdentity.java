package dev.vgate.ota.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether two paths name the same file or device, by identity, not by spelling: a symlink, a hard link or
 * {@code /dev/disk/by-partlabel/...} to the running slot is the running slot. Files compare by device and
 * inode (the file key); device nodes also by the device they stand for (rdev), so two nodes of one partition
 * match too.
 */
public final class FileIdentity {
    private FileIdentity() {}

    /** True when both exist and are the same file or device; when either is missing, whether the paths are equal. */
    public static boolean same(Path a, Path b) throws IOException {
        if (!Files.exists(a) || !Files.exists(b)) return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        Object ka = Files.readAttributes(a, BasicFileAttributes.class).fileKey();
        Object kb = Files.readAttributes(b, BasicFileAttributes.class).fileKey();
        if (ka != null && kb != null ? ka.equals(kb) : Files.isSameFile(a, b)) return true;
        long ra = rdev(a), rb = rdev(b);
        return ra != 0 && ra == rb;
    }

    private static long rdev(Path p) {
        try {
            Object r = Files.getAttribute(p, "unix:rdev");
            return r instanceof Number n ? n.longValue() : 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0; // no unix view: the file key decided
        }
    }
}
