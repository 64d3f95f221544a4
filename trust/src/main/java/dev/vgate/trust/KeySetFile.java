package dev.vgate.trust;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.Optional;

/**
 * The active key set in one file ({@code state_dir/keyset.pb}), replaced atomically: written to a
 * temporary file, fsync'd, renamed over the old one, and the folder fsync'd. A power cut leaves either
 * the old or the new key set, never a mix or nothing ({@link AtomicFiles}). The file is 0644 at most, whatever the
 * umask: who can write it could trust any key.
 */
public final class KeySetFile implements KeySetPersistence {
    public static final String NAME = "keyset.pb";
    static final long MAX_BYTES = 1 << 20;
    private final Path file;

    public KeySetFile(Path file) { this.file = file; }

    public static KeySetFile in(Path stateDir) { return new KeySetFile(stateDir.resolve(NAME)); }

    public Path path() { return file; }

    @Override public Optional<byte[]> load() throws TrustException {
        try {
            if (Files.size(file) > MAX_BYTES) throw new TrustException(file + ": persisted key set larger than " + MAX_BYTES + " bytes");
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TrustException("cannot read the persisted key set " + file + ": " + e.getMessage(), e);
        }
    }

    @Override public synchronized void save(long version, byte[] keySet) throws TrustException {
        try {
            writeAtomically(file, keySet);
        } catch (AtomicMoveNotSupportedException e) {
            throw new TrustException(file.toAbsolutePath().getParent() + ": the file system cannot replace the key set atomically", e);
        } catch (IOException e) {
            throw new TrustException("cannot persist key set version " + version + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Folders created for trust state: 0755 at creation (the umask may narrow it). */
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    /**
     * Replaces {@code target} with {@code bytes} through {@link AtomicFiles#replace}, mode 0644 (never group- or
     * world-writable, even under umask 000; narrower under a restrictive umask). Missing folders are created 0755.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        else Files.createDirectories(dir);
        AtomicFiles.replace(target, bytes, AtomicFiles.PUBLIC);
    }
}
