package dev.vgate.ota.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 18, case 5: slots compare by identity (device + inode), not by path. */
class FileIdentityTest {
    @Test void symlinksAndHardLinksAreTheSameFile(@TempDir Path dir) throws Exception {
        Path img = Files.writeString(dir.resolve("slot-a.img"), "running image");
        Path sym = Files.createSymbolicLink(dir.resolve("sym.img"), img);
        Path hard = Files.createLink(dir.resolve("hard.img"), img);
        Path other = Files.writeString(dir.resolve("slot-b.img"), "running image");
        assertTrue(FileIdentity.same(img, sym));
        assertTrue(FileIdentity.same(img, hard));
        assertTrue(FileIdentity.same(sym, hard));
        assertTrue(FileIdentity.same(img, dir.resolve("x/../slot-a.img")));
        assertFalse(FileIdentity.same(img, other), "equal content is not the same file");
        assertFalse(FileIdentity.same(img, dir.resolve("missing.img")));
    }
}
