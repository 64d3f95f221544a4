package dev.vgate.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The active key set in one file ({@code state_dir/keyset.pb}), replaced atomically: written to a
 * temporary file, fsync'd, renamed over the old one, and the folder fsync'd. A power cut leaves either
 * the old or the new key set, never a mix or nothing.
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
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(keySet);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new TrustException(dir + ": the file system cannot replace the key set atomically", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some file systems cannot open a folder for fsync; the rename itself is still atomic
            }
        } catch (IOException e) {
            throw new TrustException("cannot persist key set version " + version + " to " + file + ": " + e.getMessage(), e);
        }
    }
}
