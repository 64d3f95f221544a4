package dev.vgate.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class BoundedFilesTest {
    @Test void devZeroStopsAtTheLimit() {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) return;
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> BoundedFiles.read(zero, 1 << 20));
        assertEquals("/dev/zero is larger than the limit of 1048576 bytes", e.getMessage());
    }

    @Test void aFileAtTheLimitIsReadWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[100]);
        assertEquals(100, BoundedFiles.read(f, 100).length);
        assertThrows(InputTooLargeException.class, () -> BoundedFiles.read(f, 99));
    }

    @Test void limitedStreamFailsPastTheLimit() throws Exception {
        InputStream in = BoundedFiles.limit(new ByteArrayInputStream(new byte[1000]), 500, "body");
        assertEquals(500, in.readNBytes(500).length);
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> in.readNBytes(10));
        assertEquals("body is larger than the limit of 500 bytes", e.getMessage());
        InputStream ok = BoundedFiles.limit(new ByteArrayInputStream(new byte[500]), 500, "body");
        assertEquals(500, ok.readAllBytes().length);
    }
}
