package dev.vgate.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The running agent's status as a JSON file (default /run/vgate/status.json), replaced atomically so
 * {@code vgate status} never reads half a file.
 */
public final class StatusFile {
    private final Path file;

    public StatusFile(Path file) { this.file = file; }

    public Path path() { return file; }

    public void write(String json) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".status", ".tmp");
        try {
            Files.writeString(tmp, json);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public String read() throws IOException { return Files.readString(file); }
}
