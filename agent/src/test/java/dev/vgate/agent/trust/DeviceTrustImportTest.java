package dev.vgate.agent.trust;

import com.google.protobuf.ByteString;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootKey;
import dev.vgate.trust.KeySetFile;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustReason;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.TrustVerdict;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The one-time carry-over of the key set an older vgate kept in {@code state_dir/commands.db} (before the trust
 * module had {@code keyset.pb}): the device must start on the rotations it had applied, not fall back to the
 * trust file (which would bring revoked keys back), and must import only once.
 */
class DeviceTrustImportTest {
    static final SecureRandom RANDOM = new SecureRandom();
    @TempDir Path dir;
    private Path trustFile, stateDir;
    private final Map<String, PrivateKey> keys = new LinkedHashMap<>();

    private PrivateKey key(String id) {
        return keys.computeIfAbsent(id, k -> PrivateKey.generate(k.startsWith("root-2") ? KeyAlgorithm.P256 : KeyAlgorithm.ED25519, RANDOM));
    }

    @BeforeEach void trustFileVersion1() throws Exception {
        Path k = Files.createDirectories(dir.resolve("keys"));
        for (String id : new String[] {"app-1", "root-1"}) PemKeys.writePublic(k.resolve(id + ".pub.pem"), key(id).publicKey());
        trustFile = dir.resolve("trust.yaml");
        Files.writeString(trustFile, """
                version: 1
                keys:
                  - id: app-1
                    public_key: keys/app-1.pub.pem
                    commands: [unlock]
                root:
                  threshold: 1
                  keys:
                    - id: root-1
                      public_key: keys/root-1.pub.pem
                """);
        stateDir = Files.createDirectories(dir.resolve("state"));
    }

    /** What the old KeySet held: keys with command lists only (no roles field yet), revocations, the rotated roots. */
    private KeySet oldKeySet(long version) {
        return KeySet.newBuilder().setVersion(version).setIssuedAtMs(1_700_000_000_000L)
                .addKeys(KeyEntry.newBuilder().setId("app-2").setPublicKey(ByteString.copyFrom(key("app-2").publicKey().encoded())).addCommands("lock"))
                .addRevoked("app-1")
                .addRoots(RootKey.newBuilder().setId("root-1").setPublicKey(ByteString.copyFrom(key("root-1").publicKey().encoded())))
                .addRoots(RootKey.newBuilder().setId("root-2").setPublicKey(ByteString.copyFrom(key("root-2").publicKey().encoded())))
                .setRootThreshold(2).build();
    }

    /** commands.db exactly as the vgate before the trust module created it (its schema, written here by hand). */
    private void oldCommandsDb(byte[] keySet) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(CommandStateDb.FILE_NAME)); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("CREATE TABLE seen_command (command_id TEXT PRIMARY KEY, expires_at_ms INTEGER NOT NULL)");
            st.execute("CREATE INDEX seen_command_expiry ON seen_command (expires_at_ms)");
            st.execute("CREATE TABLE key_sequence (key_id TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL)");
            st.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
                    + " command_id TEXT NOT NULL, key_id TEXT NOT NULL, type TEXT NOT NULL, reason_code TEXT NOT NULL,"
                    + " detail TEXT NOT NULL, envelope_sha256 BLOB NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0)");
            st.execute("CREATE INDEX audit_pending ON audit (uploaded, id)");
            st.execute("CREATE TABLE key_set (slot INTEGER PRIMARY KEY CHECK (slot = 1),"
                    + " version INTEGER NOT NULL, key_set BLOB NOT NULL, applied_at_ms INTEGER NOT NULL)");
            st.execute("INSERT INTO key_sequence VALUES ('app-1', 42)");
            if (keySet != null) putOldKeySet(c, 5, keySet);
        }
    }

    private static void putOldKeySet(Connection c, long version, byte[] keySet) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO key_set (slot, version, key_set, applied_at_ms) VALUES (1, ?, ?, ?)")) {
            ps.setLong(1, version);
            ps.setBytes(2, keySet);
            ps.setLong(3, 1_700_000_000_000L);
            ps.executeUpdate();
        }
    }

    private static TrustReason refusal(TrustVerdict v) {
        return v instanceof TrustVerdict.Refused r ? r.reason() : null;
    }

    private TrustVerdict unlockBy(TrustStore t, String id) throws Exception {
        byte[] bytes = "unlock".getBytes(StandardCharsets.UTF_8);
        return t.verify("unlock", bytes, key(id).sign(bytes), id);
    }

    @Test void theKeySetKeptInAnOldCommandsDbIsCarriedOverOnceAndNeverRegresses() throws Exception {
        oldCommandsDb(oldKeySet(5).toByteArray());
        Path keysetPb = stateDir.resolve(KeySetFile.NAME);
        Path marker = DeviceTrust.importedMarker(stateDir);

        TrustStore first = DeviceTrust.open(trustFile, stateDir, Clock.systemUTC());
        KeySetState s = first.current();
        assertEquals(5, s.version(), "the old database's version, not the trust file's 1");
        assertEquals(Set.of("app-2"), s.keys().keySet());
        assertEquals(Set.of("lock"), s.key("app-2").commands());
        assertEquals(Set.of(), s.key("app-2").roles());
        assertEquals(Set.of("app-1"), s.revoked());
        assertEquals(Set.of("root-1", "root-2"), s.roots().keySet());
        assertEquals(2, s.rootThreshold());
        assertEquals(TrustReason.KEY_REVOKED, refusal(unlockBy(first, "app-1")), "the rotation revoked it; the trust file must not bring it back");
        assertTrue(Files.exists(keysetPb) && Files.exists(marker));
        assertEquals(oldKeySet(5), KeySet.parseFrom(Files.readAllBytes(keysetPb)));

        // the device rotates on (v6, persisted in keyset.pb); the old database is left as it was
        first.apply(KeySetState.fromProto(oldKeySet(6).toBuilder().addRevoked("app-3").build(), s));
        // were the import run again, a set in commands.db would overwrite keyset.pb: make it a newer one to tell
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(CommandStateDb.FILE_NAME))) {
            putOldKeySet(c, 7, oldKeySet(7).toByteArray());
        }
        KeySetState second = DeviceTrust.open(trustFile, stateDir, Clock.systemUTC()).current();
        assertEquals(6, second.version(), "opened again: keyset.pb as the device left it, not re-imported nor regressed");
        assertEquals(Set.of("app-1", "app-3"), second.revoked());

        // the marker alone stops a second import (keyset.pb lost): the trust file, not the old database
        Files.delete(keysetPb);
        assertEquals(1, DeviceTrust.open(trustFile, stateDir, Clock.systemUTC()).current().version());
        assertFalse(Files.exists(keysetPb));
    }

    @Test void anOldCommandsDbWithoutAKeySetLeavesTheTrustFileAndIsCheckedOnce() throws Exception {
        oldCommandsDb(null);
        TrustStore t = DeviceTrust.open(trustFile, stateDir, Clock.systemUTC());
        assertEquals(1, t.current().version());
        assertTrue(unlockBy(t, "app-1").trusted());
        assertFalse(Files.exists(stateDir.resolve(KeySetFile.NAME)));
        assertTrue(Files.exists(DeviceTrust.importedMarker(stateDir)));
    }

    @Test void anUnreadableOldKeySetStopsTheStartRatherThanFallBackToTheTrustFile() throws Exception {
        oldCommandsDb("not a key set".getBytes(StandardCharsets.UTF_8));
        TrustException e = assertThrows(TrustException.class, () -> DeviceTrust.open(trustFile, stateDir, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("persisted key set is corrupt"), e.getMessage());
        // and it stays stopped at the next start
        assertThrows(TrustException.class, () -> DeviceTrust.open(trustFile, stateDir, Clock.systemUTC()));
    }

    @Test void cmdVerifysViewOfTheDeviceSeesAPendingImportWithoutWritingAnything() throws Exception {
        oldCommandsDb(oldKeySet(5).toByteArray());
        Path config = dir.resolve("vgate.yaml");
        dev.vgate.dbc.DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Files.writeString(config, "vehicle_id: KMHK381GFMU123456\nstate_dir: state\nbuses:\n  - {name: pt, kind: virtual, interface: can0, dbc: demo.dbc}\n"
                + "mqtt: {url: 'tcp://127.0.0.1:1', client_id: gw}\ncommands:\n  trust: trust.yaml\n");
        byte[] dbBefore = Files.readAllBytes(stateDir.resolve(CommandStateDb.FILE_NAME));
        KeySetState seen = DeviceTrust.active(dev.vgate.agent.config.ConfigLoader.load(config), Clock.systemUTC());
        assertArrayEquals(dbBefore, Files.readAllBytes(stateDir.resolve(CommandStateDb.FILE_NAME)), "commands.db read, not changed");
        assertEquals(5, seen.version());
        assertEquals(Set.of("app-1"), seen.revoked());
        assertFalse(Files.exists(stateDir.resolve(KeySetFile.NAME)), "a read-only view");
        assertFalse(Files.exists(DeviceTrust.importedMarker(stateDir)), "a read-only view");
    }
}
