package dev.vgate.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The one way trust material reaches the disk (keys, trust files, the persisted key set): a temporary file in
 * the target's folder, created (O_CREAT|O_EXCL, no symlink followed) with the mode asked for as its creation mode,
 * written and fsync'd, then renamed (or, for a file that must not exist yet, hard-linked) to the target, and the
 * folder fsync'd. A power cut leaves the old content or the new, never a mix or nothing.
 *
 * <p>The mode is never wider than asked: it is the creation mode, so the umask can only narrow it (umask 077 makes
 * a 0644 file 0600) and nothing widens it afterwards; under umask 000 the file gets exactly the mode asked
 * (never group- or world-writable unless asked).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Replaces {@code target} (or creates it) with {@code bytes}, mode at most {@code mode}. */
    public static void replace(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = writeTemp(target, bytes, mode);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(target);
    }

    /**
     * Creates {@code target} with {@code bytes}, mode at most {@code mode}; fails with {@link FileAlreadyExistsException}
     * if anything (a file, a symlink) is at the path already, which is left as it is.
     */
    public static void createNew(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = writeTemp(target, bytes, mode);
        try {
            Files.createLink(target, tmp); // link(2): atomic, and refuses an existing name (a rename would replace it)
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(target);
    }

    private static Path writeTemp(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        Path tmp = dir.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(r) + ".tmp");
        Set<OpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try (FileChannel ch = posix ? FileChannel.open(tmp, opts, PosixFilePermissions.asFileAttribute(mode)) : FileChannel.open(tmp, opts)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static void syncFolder(Path target) {
        try (FileChannel d = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a folder for fsync; the rename itself is still atomic
        }
    }
}
