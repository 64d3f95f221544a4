package dev.vgate.agent.trust;

import com.google.protobuf.ByteString;
import dev.vgate.agent.Main;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.StateDbKeySets;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootKey;
import dev.vgate.trust.KeySetFile;
import dev.vgate.trust.crypto.PemKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Keys and trust state keep their modes under {@code umask 000} (a service or shell started that way): private
 * keys 0600, the key folder 0700, folders created above it, the trust file, the persisted key set and the import
 * marker never group- or world-writable. Java cannot set its own umask, so each writer runs in a child JVM started
 * by {@code sh -c 'umask 000; exec java ...'}; a control file the same shell creates proves the umask took effect.
 */
class UmaskTrustFilesTest {
    @TempDir Path dir;

    /** Runs {@code mainClass args} in a JVM whose umask is 000; returns the mode of the shell's control file. */
    private String underUmask000(String mainClass, String... args) throws Exception {
        return underUmask("000", mainClass, args);
    }

    /** Runs {@code mainClass args} in a JVM whose umask is {@code umask}; returns the mode of the shell's control file. */
    private String underUmask(String umask, String mainClass, String... args) throws Exception {
        Path control = dir.resolve("control-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + "; : > \"$1\"; shift; exec \"$@\"", "sh", control.toString()));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        return mode(control);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static void assertMode(String expected, Path p) throws Exception {
        assertEquals(expected, mode(p), p.toString());
    }

    @Test void keyGenerationAndTrustStateKeepTheirModesUnderUmask000() throws Exception {
        Path keys = dir.resolve("a/b/keys");
        Path trust = dir.resolve("trust.yaml");
        assertEquals("rw-rw-rw-", underUmask000(Main.class.getName(), "keys", "gen", "--alg", "p256", "--out", keys.toString(), "--id", "app-1",
                "--trust", trust.toString(), "--commands", "unlock"), "the child ran with umask 000");
        underUmask000(Main.class.getName(), "keys", "gen", "--root", "--out", keys.toString(), "--id", "root-1", "--trust", trust.toString());
        underUmask000(Main.class.getName(), "ota", "keygen", "--out", dir.resolve("ota").toString());

        assertMode("rwxr-xr-x", dir.resolve("a"));
        assertMode("rwxr-xr-x", dir.resolve("a/b"));
        assertMode("rwx------", keys);
        assertMode("rw-------", keys.resolve("app-1.pem"));
        assertMode("rw-------", keys.resolve("root-1.pem"));
        assertMode("rw-r--r--", keys.resolve("app-1.pub.pem"));
        assertMode("rw-r--r--", keys.resolve("root-1.pub.pem"));
        assertMode("rw-r--r--", trust); // rewritten by the second gen
        assertMode("rwx------", dir.resolve("ota"));
        assertMode("rw-------", dir.resolve("ota/release.pem"));
        assertMode("rw-------", dir.resolve("ota/root-1.pem"));
        assertMode("rw-r--r--", dir.resolve("ota/trust.yaml"));

        // the daemon's trust state: the one-time import from an old commands.db writes keyset.pb and its marker
        Path state = Files.createDirectories(dir.resolve("state"));
        KeySet old = KeySet.newBuilder().setVersion(3)
                .addKeys(KeyEntry.newBuilder().setId("app-1").setPublicKey(ByteString.copyFrom(PemKeys.readPublic(keys.resolve("app-1.pub.pem")).encoded())).addCommands("lock"))
                .addRoots(RootKey.newBuilder().setId("root-1").setPublicKey(ByteString.copyFrom(PemKeys.readPublic(keys.resolve("root-1.pub.pem")).encoded())))
                .setRootThreshold(1).build();
        try (CommandStateDb db = CommandStateDb.open(state)) {
            new StateDbKeySets(db, Clock.systemUTC()).save(3, old.toByteArray());
        }
        underUmask000(OpenDeviceTrust.class.getName(), trust.toString(), state.toString(), dir.resolve("fresh/state").toString());
        assertMode("rw-r--r--", state.resolve(KeySetFile.NAME));
        assertMode("rw-r--r--", DeviceTrust.importedMarker(state));
        assertEquals(old, KeySet.parseFrom(Files.readAllBytes(state.resolve(KeySetFile.NAME))));
        assertMode("rwxr-xr-x", dir.resolve("fresh"));
        assertMode("rwxr-xr-x", dir.resolve("fresh/state"));
        assertMode("rw-r--r--", dir.resolve("fresh/state").resolve(KeySetFile.NAME));
    }

    /**
     * Regression: under a restrictive umask (077) the trust file and public keys came out 0644: the key writer widened
     * the mode back after creating the file. The mode asked for is the most a file gets; the umask may narrow it.
     * The trust file is rewritten through a temporary file, and none is left behind.
     */
    @Test void aRestrictiveUmaskNarrowsTrustFilesAndNothingWidensThem() throws Exception {
        Path keys = dir.resolve("k/keys");
        Path trust = dir.resolve("k/trust.yaml");
        assertEquals("rw-------", underUmask("077", Main.class.getName(), "keys", "gen", "--out", keys.toString(), "--id", "app-1",
                "--trust", trust.toString(), "--commands", "unlock"), "the child ran with umask 077");
        underUmask("077", Main.class.getName(), "keys", "gen", "--root", "--out", keys.toString(), "--id", "root-1", "--trust", trust.toString());
        underUmask("077", SaveKeySet.class.getName(), dir.resolve("k/fresh").toString());

        assertMode("rwx------", keys);
        assertMode("rw-------", keys.resolve("app-1.pem"));
        assertMode("rw-------", keys.resolve("app-1.pub.pem"));
        assertMode("rw-------", keys.resolve("root-1.pub.pem"));
        assertMode("rw-------", trust); // written by the first gen, replaced by the second
        assertMode("rw-------", dir.resolve("k/fresh").resolve(KeySetFile.NAME));
        assertTrue(trust.toFile().length() > 0 && Files.readString(trust).contains("root-1"), "the second gen's trust file");
        try (var files = Files.walk(dir.resolve("k"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp") || f.getFileName().toString().endsWith(".new")).toList(),
                    "no temporary file left behind");
        }
    }

    /** Child JVM: persists a key set into the folder ARG (created). */
    public static final class SaveKeySet {
        public static void main(String[] args) throws Exception {
            KeySetFile.in(Path.of(args[0])).save(1, KeySet.newBuilder().setVersion(1).setRootThreshold(1).build().toByteArray());
        }
    }

    /** Child JVM: opens the device trust on STATE (the import), and persists a key set into a folder not there yet. */
    public static final class OpenDeviceTrust {
        public static void main(String[] args) throws Exception {
            var store = DeviceTrust.open(Path.of(args[0]), Path.of(args[1]), Clock.systemUTC());
            KeySetFile.in(Path.of(args[2])).save(store.current().version(), store.current().toProto().toByteArray());
            System.exit(store.current().version() == 3 ? 0 : 3);
        }
    }
}
