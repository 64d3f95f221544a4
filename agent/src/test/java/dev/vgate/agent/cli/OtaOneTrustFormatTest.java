package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13 item 1, as a user types it: the issue's trust file (a P-256 release key with role ota, a command key,
 * a revoked id, a root) made with vgate keys gen, a patch signed with make-patch --key keys/release-1, and
 * vgate ota apply --trust on it; a manifest by a revoked key is refused with KEY_REVOKED.
 */
class OtaOneTrustFormatTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @BeforeEach void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private int run(String... args) {
        err.reset();
        return Main.run(args);
    }

    @Test void theIssuesTrustFileSignsAndVerifiesAnUpdate() throws Exception {
        Path keys = dir.resolve("keys");
        for (String[] k : new String[][] {{"release-1", "p256"}, {"owner-app-1", "ed25519"}, {"root-1", "ed25519"}, {"release-0", "ed25519"}}) {
            assertEquals(0, run("keys", "gen", "--alg", k[1], "--out", keys.toString(), "--id", k[0]), err::toString);
        }
        Path trust = Files.writeString(dir.resolve("trust.yaml"), """
                keys:
                  - id: release-1                      # made by: vgate keys gen --alg p256 --out keys --id release-1
                    public_key: keys/release-1.pub.pem
                    roles: [ota]
                  - id: owner-app-1
                    public_key: keys/owner-app-1.pub.pem
                    commands: [lock, unlock, get-state]
                revoked: [release-0]
                root:
                  threshold: 1
                  keys:
                    - id: root-1
                      public_key: keys/root-1.pub.pem
                """);
        byte[] old = new byte[256 * 1024];
        new Random(3).nextBytes(old);
        byte[] next = old.clone();
        for (int i = 0; i < 4096; i += 7) next[i] ^= 0x5a;
        Path from = Files.write(dir.resolve("old.img"), old), newer = Files.write(dir.resolve("new.img"), next);
        assertEquals(0, run("ota", "make-patch", from.toString(), newer.toString(), "--key", keys.resolve("release-1").toString(),
                "--version", "2.0.0", "--out", dir.resolve("rel").toString()), err::toString);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("signed by release-1"), out::toString);
        assertEquals(0, run("ota", "apply", "--trust", trust.toString(), "--manifest", dir.resolve("rel/manifest.bin").toString(),
                "--patch", dir.resolve("rel/patch.bin").toString(), "--from", from.toString(), "--to", dir.resolve("to.img").toString(),
                "--current-version", "1.0.0"), err::toString);
        assertArrayEquals(next, java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("to.img")), next.length));

        // signed by a revoked key (the file path form of --key works too): KEY_REVOKED, exit 2, nothing written
        assertEquals(0, run("ota", "make-patch", from.toString(), newer.toString(), "--key", keys.resolve("release-0.pem").toString(),
                "--version", "2.0.0", "--out", dir.resolve("rel0").toString()), err::toString);
        assertEquals(2, run("ota", "apply", "--trust", trust.toString(), "--manifest", dir.resolve("rel0/manifest.bin").toString(),
                "--patch", dir.resolve("rel0/patch.bin").toString(), "--from", from.toString(), "--to", dir.resolve("to0.img").toString(),
                "--current-version", "1.0.0"));
        // a line of its own (in one JVM with the fuzz tests, Jazzer's instrumentation notes may land on stderr too)
        assertTrue(err.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("vgate ota apply: KEY_REVOKED: ")), err::toString);
    }
}
