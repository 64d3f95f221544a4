package dev.vgate.trust;

import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 18 case 6: private key files are created exclusively, 0600 from the start, never through a link. */
class PemKeysFilesTest {
    @TempDir Path dir;
    final PrivateKey key = PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom());

    @Test void privateKeyIsOwnerOnlyAndNeverOverwrittenWithoutForce() throws Exception {
        Path p = dir.resolve("k.pem");
        PemKeys.writePrivate(p, key, false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        String first = Files.readString(p);
        assertThrows(FileAlreadyExistsException.class, () -> PemKeys.writePrivate(p, PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom()), false));
        assertEquals(first, Files.readString(p));
        PemKeys.writePrivate(p, PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom()), true);
        assertNotEquals(first, Files.readString(p));
    }

    @Test void aSymlinkAtTheKeyPathIsNeverWrittenThrough() throws Exception {
        Path target = dir.resolve("elsewhere.txt");
        Path dangling = dir.resolve("dangling-target");
        Path link1 = Files.createSymbolicLink(dir.resolve("a.pem"), dangling);
        assertThrows(FileAlreadyExistsException.class, () -> PemKeys.writePrivate(link1, key, false));
        assertFalse(Files.exists(dangling), "nothing was created through the dangling link");
        Files.writeString(target, "precious");
        Path link2 = Files.createSymbolicLink(dir.resolve("b.pem"), target);
        assertThrows(FileAlreadyExistsException.class, () -> PemKeys.writePrivate(link2, key, false));
        PemKeys.writePrivate(link2, key, true); // --force replaces the link itself
        assertEquals("precious", Files.readString(target));
        assertFalse(Files.isSymbolicLink(link2));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(link2)));
    }

    @Test void aKeyPathToAnEndlessFileIsRefusedNotRead() {
        Exception e = assertThrows(Exception.class, () -> PemKeys.readPublic(Path.of("/dev/zero")));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }
}
