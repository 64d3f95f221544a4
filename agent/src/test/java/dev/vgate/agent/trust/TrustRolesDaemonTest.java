package dev.vgate.agent.trust;

import com.google.protobuf.ByteString;
import dev.vgate.agent.Main;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.daemon.DaemonException;
import dev.vgate.agent.daemon.VgateDaemon;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.ota.OtaListener;
import dev.vgate.ota.manifest.ManifestSigner;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootKey;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13's table: every role × {good, forged, wrong role, revoked, expired, replayed, rotated-in, below
 * threshold}, through a running daemon (VgateDaemon, as {@code vgate run} builds it from vgate.yaml) and its MQTT
 * command path on an embedded broker. Everything travels over MQTT: commands, OTA manifests (the body of start-ota)
 * and configuration updates (collection-policy commands, which a key with the config role may send). A release key
 * and a configuration key are rotated and revoked by a key-set-update on the running daemon; the manifest and the
 * configuration update they signed before are then refused with KEY_REVOKED, the new keys' are accepted, without a
 * restart, and after one. Every case is expressible for the config role (its updates are commands).
 */
class TrustRolesDaemonTest {
    static final String VIN = "TRUSTROLES0000001";
    static final SecureRandom RANDOM = new SecureRandom();
    @TempDir Path dir;
    private EmbeddedBroker broker;
    private CommandClient cloud;
    private VgateDaemon daemon;
    private final Map<String, PrivateKey> keys = new LinkedHashMap<>();
    /** role → case → the reason code it got ("COMPLETED"/"TRUSTED" for accepted); printed for the report. */
    private final Map<String, Map<String, String>> table = new LinkedHashMap<>();

    @AfterEach void stop() throws Exception {
        if (daemon != null) daemon.stop();
        if (cloud != null) cloud.close();
        if (broker != null) broker.close();
    }

    private PrivateKey key(String id) {
        return keys.computeIfAbsent(id, k -> PrivateKey.generate(k.startsWith("release") || k.equals("root-2") ? KeyAlgorithm.P256 : KeyAlgorithm.ED25519, RANDOM));
    }

    private Path writeDevice(String rootsYaml) throws Exception {
        Path k = Files.createDirectories(dir.resolve("keys"));
        for (String id : List.of("app-1", "release-1", "config-1", "root-1", "root-2")) PemKeys.writePublic(k.resolve(id + ".pub.pem"), key(id).publicKey(), true);
        Files.writeString(dir.resolve("trust.yaml"), """
                version: 1
                keys:
                  - id: app-1
                    public_key: keys/app-1.pub.pem
                    commands: [get-state, start-ota]
                  - id: release-1
                    public_key: keys/release-1.pub.pem
                    roles: [ota]
                  - id: config-1
                    public_key: keys/config-1.pub.pem
                    roles: [config]
                revoked: [release-0, app-0, config-0]
                """ + rootsYaml);
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Files.write(dir.resolve("slot-a.img"), new byte[64 * 1024]);
        Files.write(dir.resolve("slot-b.img"), new byte[64 * 1024]);
        Path config = dir.resolve("vgate.yaml");
        // ota has no trust of its own: it uses commands.trust (issue 12: this default could not load before)
        Files.writeString(config, """
                vehicle_id: %s
                state_dir: state
                buses:
                  - {name: powertrain, kind: virtual, interface: can0, dbc: demo.dbc}
                mqtt:
                  url: %s
                  client_id: trust-roles-gw
                commands:
                  trust: trust.yaml
                ota:
                  slot_a: slot-a.img
                  slot_b: slot-b.img
                  boot_control: {backend: file, state_file: boot.properties}
                  reboot_command: [/bin/true]
                  health_deadline: 30s
                  hardware_id: hw-1
                  image_version: 1.0.0
                  booted_slot: A
                """.formatted(VIN, broker == null ? "tcp://127.0.0.1:1" : broker.url()));
        return config;
    }

    private static final String ROOTS = """
            root:
              threshold: 2
              keys:
                - id: root-1
                  public_key: keys/root-1.pub.pem
                - id: root-2
                  public_key: keys/root-2.pub.pem
            """;

    private void startDaemon(Path config) throws Exception {
        daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC(), new VgateDaemon.Hooks(Map.of("powertrain", new VirtualBus("can0")), OtaListener.NONE));
        daemon.start();
        await("every part up (commands and OTA on commands.trust)", () -> daemon.supervisor().allHealthy() && daemon.otaService() != null);
    }

    private static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ signing, as the cloud does

    private static final java.util.concurrent.atomic.AtomicLong SEQ = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    private Command.Builder command(String type, long issuedAt) {
        return Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(VIN).setIssuedAtMs(issuedAt)
                .setExpiresAtMs(issuedAt + 60_000).setSequence(SEQ.incrementAndGet()).setType(type);
    }

    private byte[] signed(Command.Builder c, String keyId, String signer) throws Exception {
        return CommandSigner.sign(c.build(), keyId, key(signer)).toByteArray();
    }

    private byte[] getState(String keyId, String signer) throws Exception {
        return signed(command("get-state", System.currentTimeMillis()).putParams("signals", "BMS_SoC"), keyId, signer);
    }

    private byte[] manifest(String keyId, String signer, long expiresEpochSeconds) throws Exception {
        byte[] base = "not what slot A holds".getBytes(StandardCharsets.UTF_8);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(base);
        // trusted and fresh, it is accepted; the install then stops at WRONG_BASE_IMAGE on the worker (slot A
        // holds zeros), which leaves the OTA client idle for the next case
        Manifest m = Manifest.newBuilder().setFormatVersion(1).setTargetVersion("2.0.0").addCompatibleHardware("hw-1")
                .setBaseImage(ImageRef.newBuilder().setSize(base.length).setSha256(ByteString.copyFrom(sha)))
                .setTargetImage(ImageRef.newBuilder().setSize(1000).setSha256(ByteString.copyFrom(sha)))
                .setPatch(Artifact.newBuilder().addUrls("http://127.0.0.1:1/p").setSize(10).setSha256(ByteString.copyFrom(sha)))
                .setExpiresEpochSeconds(expiresEpochSeconds).build();
        return new ManifestSigner(key(signer), keyId).sign(m).toByteArray();
    }

    private long inAnHour() { return System.currentTimeMillis() / 1000 + 3600; }

    private byte[] startOta(byte[] manifest) throws Exception {
        return signed(command("start-ota", System.currentTimeMillis()).setBody(ByteString.copyFrom(manifest)), "app-1", "app-1");
    }

    private byte[] keySetUpdate(KeySet set, List<String> rootSigners, String envelopeKey) throws Exception {
        Map<String, PrivateKey> s = new LinkedHashMap<>();
        for (String r : rootSigners) s.put(r, key(r));
        byte[] body = CommandSigner.signKeySet(set, s).toByteArray();
        return signed(command("key-set-update", System.currentTimeMillis()).setBody(ByteString.copyFrom(body)), envelopeKey, envelopeKey);
    }

    private KeyEntry entry(String id, List<String> commands, List<String> roles) {
        return KeyEntry.newBuilder().setId(id).setPublicKey(ByteString.copyFrom(key(id).publicKey().encoded()))
                .addAllCommands(commands).addAllRoles(roles).build();
    }

    /** Sends over MQTT and returns the RESULT's reason code, or its status when it has none (COMPLETED). */
    private String send(byte[] envelope) throws Exception {
        CommandResponse r = cloud.send(VIN, envelope, 30).result.get(20, TimeUnit.SECONDS);
        if (daemon.otaService() != null) assertTrue(daemon.otaService().awaitIdle(20, TimeUnit.SECONDS), "OTA worker idle");
        return r.getReasonCode().isEmpty() ? r.getStatus().name() : r.getReasonCode();
    }

    /** The version each collection-policy update names: above every earlier one, so only the signature decides. */
    private final java.util.concurrent.atomic.AtomicLong policyVersion = new java.util.concurrent.atomic.AtomicLong();

    /** A configuration update as the cloud sends it: a signed collection-policy command (the config role's commands). */
    private byte[] policyUpdate(String keyId, String signer, long issuedAt) throws Exception {
        return signed(command("collection-policy", issuedAt).putParams("version", Long.toString(policyVersion.incrementAndGet()))
                .setBody(ByteString.copyFromUtf8("version: 1\ndefault: {mode: every}\n")), keyId, signer);
    }

    private byte[] policyUpdate(String keyId, String signer) throws Exception {
        return policyUpdate(keyId, signer, System.currentTimeMillis());
    }

    /** The collection policy version the running daemon reports active (vgate status). */
    @SuppressWarnings("unchecked")
    private long activePolicyVersion() {
        Map<String, Object> config = (Map<String, Object>) daemon.status().get("config");
        return ((Number) ((Map<String, Object>) config.get("collection_policy")).get("version")).longValue();
    }

    private void expect(String role, String kase, String expected, String got) {
        table.computeIfAbsent(role, r -> new LinkedHashMap<>()).put(kase, got);
        assertEquals(expected, got, role + " × " + kase);
    }

    // ------------------------------------------------------------------ the table

    @Test void everyRoleTimesEveryCaseThroughTheRunningDaemon() throws Exception {
        broker = EmbeddedBroker.start();
        cloud = CommandClient.connect(broker.url(), 10_000);
        startDaemon(writeDevice(ROOTS));
        long past = System.currentTimeMillis() - 3_600_000;

        // command role (app-1 may issue get-state and start-ota)
        expect("command", "good", "COMPLETED", send(getState("app-1", "app-1")));
        expect("command", "forged", "BAD_SIGNATURE", send(getState("app-1", "release-1")));
        expect("command", "wrong role", "ROLE_NOT_ALLOWED", send(signed(command("locate", System.currentTimeMillis()), "app-1", "app-1")));
        expect("command", "revoked", "KEY_REVOKED", send(getState("app-0", "app-1")));
        expect("command", "expired", "EXPIRED", send(signed(command("get-state", past), "app-1", "app-1")));
        byte[] once = getState("app-1", "app-1");
        assertEquals("COMPLETED", send(once));
        expect("command", "replayed", "REPLAYED", send(once));

        // ota role: the manifest is the start-ota body, checked against the same store
        expect("ota", "forged", "BAD_SIGNATURE", send(startOta(manifest("release-1", "release-2", inAnHour()))));
        expect("ota", "wrong role", "WRONG_ROLE", send(startOta(manifest("config-1", "config-1", inAnHour()))));
        expect("ota", "revoked", "KEY_REVOKED", send(startOta(manifest("release-0", "release-1", inAnHour()))));
        expect("ota", "expired", "EXPIRED", send(startOta(manifest("release-1", "release-1", System.currentTimeMillis() / 1000 - 3600))));
        byte[] signedByRelease1 = manifest("release-1", "release-1", inAnHour());
        byte[] goodOta = startOta(signedByRelease1);
        expect("ota", "good", "COMPLETED", send(goodOta));
        expect("ota", "replayed", "REPLAYED", send(goodOta));

        // config role: configuration updates (collection-policy commands) over MQTT; a refused one changes nothing
        expect("config", "good", "COMPLETED", send(policyUpdate("config-1", "config-1")));
        long applied = policyVersion.get();
        assertEquals(applied, activePolicyVersion());
        expect("config", "forged", "BAD_SIGNATURE", send(policyUpdate("config-1", "app-1")));
        expect("config", "wrong role", "ROLE_NOT_ALLOWED", send(policyUpdate("release-1", "release-1"))); // an OTA key
        expect("config", "revoked", "KEY_REVOKED", send(policyUpdate("config-0", "config-1")));
        expect("config", "expired", "EXPIRED", send(policyUpdate("config-1", "config-1", past)));
        byte[] policyOnce = policyUpdate("config-1", "config-1");
        assertEquals("COMPLETED", send(policyOnce));
        applied = policyVersion.get();
        expect("config", "replayed", "REPLAYED", send(policyOnce));
        assertEquals(applied, activePolicyVersion(), "refused configuration updates left the active version alone");
        byte[] signedByConfig1 = policyUpdate("config-1", "config-1"); // sent after config-1 is revoked below

        // root role (key-set-update), below threshold first: nothing it adds becomes trusted
        KeySet weak = KeySet.newBuilder().setVersion(2).addKeys(entry("app-1", List.of("get-state", "start-ota"), List.of()))
                .addKeys(entry("app-3", List.of("get-state"), List.of())).addKeys(entry("release-3", List.of(), List.of("ota")))
                .addKeys(entry("config-3", List.of(), List.of("config"))).build();
        expect("root", "below threshold", "KEYSET_THRESHOLD_NOT_MET", send(keySetUpdate(weak, List.of("root-1"), "root-1")));
        expect("command", "below threshold", "UNKNOWN_KEY", send(getState("app-3", "app-3")));
        expect("ota", "below threshold", "UNKNOWN_KEY", send(startOta(manifest("release-3", "release-3", inAnHour()))));
        expect("config", "below threshold", "UNKNOWN_KEY", send(policyUpdate("config-3", "config-3")));
        expect("root", "forged", "KEYSET_THRESHOLD_NOT_MET", send(forgedRootSet(weak)));
        expect("root", "wrong role", "ROLE_NOT_ALLOWED", send(getState("root-1", "root-1")));
        expect("root", "revoked", "KEY_REVOKED", send(keySetUpdate(weak, List.of("root-1", "root-2"), "app-0")));
        byte[] expiredSet = signed(command("key-set-update", past).setBody(ByteString.copyFrom(
                CommandSigner.signKeySet(weak, Map.of("root-1", key("root-1"), "root-2", key("root-2"))).toByteArray())), "root-1", "root-1");
        expect("root", "expired", "EXPIRED", send(expiredSet));

        // the rotation: release-1 revoked, release-2 / app-2 / config-2 rotated in, root-2 retired for root-3
        KeySet v2 = KeySet.newBuilder().setVersion(2)
                .addKeys(entry("app-1", List.of("get-state", "start-ota"), List.of())).addKeys(entry("app-2", List.of("get-state"), List.of()))
                .addKeys(entry("release-2", List.of(), List.of("ota")))
                .addKeys(entry("config-2", List.of(), List.of("config"))).addRevoked("release-1").addRevoked("config-1")
                .addRoots(RootKey.newBuilder().setId("root-1").setPublicKey(ByteString.copyFrom(key("root-1").publicKey().encoded())))
                .addRoots(RootKey.newBuilder().setId("root-3").setPublicKey(ByteString.copyFrom(key("root-3").publicKey().encoded())))
                .setRootThreshold(2).build();
        byte[] rotation = keySetUpdate(v2, List.of("root-1", "root-2"), "root-1");
        expect("root", "good", "COMPLETED", send(rotation));
        // a replayed key-set-update fails on its body before the replay table: it was signed by root-2, retired by itself
        expect("root", "replayed", "KEYSET_THRESHOLD_NOT_MET", send(rotation));
        assertEquals(2, daemon.trust().current().version());

        // the next command and manifest, without a restart
        expect("ota", "revoked", "KEY_REVOKED", send(startOta(signedByRelease1))); // signed before the revocation
        expect("ota", "rotated-in", "COMPLETED", send(startOta(manifest("release-2", "release-2", inAnHour()))));
        expect("command", "rotated-in", "COMPLETED", send(getState("app-2", "app-2")));
        expect("config", "revoked", "KEY_REVOKED", send(signedByConfig1)); // signed before the revocation
        expect("config", "rotated-in", "COMPLETED", send(policyUpdate("config-2", "config-2")));
        assertEquals(policyVersion.get(), activePolicyVersion());
        // the new root signs the next rotation with root-1; the retired root-2 no longer counts
        KeySet v3 = v2.toBuilder().setVersion(3).clearRoots().setRootThreshold(0).build();
        assertEquals("KEYSET_THRESHOLD_NOT_MET", send(keySetUpdate(v3, List.of("root-1", "root-2"), "root-1")));
        byte[] v3Update = keySetUpdate(v3, List.of("root-1", "root-3"), "root-3");
        expect("root", "rotated-in", "COMPLETED", send(v3Update));
        assertEquals("KEYSET_VERSION_NOT_NEWER", send(v3Update)); // replayed with the same roots: not newer

        // and after a restart: the persisted key set holds, the old release key stays refused
        daemon.stop();
        startDaemon(dir.resolve("vgate.yaml"));
        assertEquals(3, daemon.trust().current().version());
        assertEquals("KEY_REVOKED", send(startOta(signedByRelease1)));
        assertEquals("COMPLETED", send(startOta(manifest("release-2", "release-2", inAnHour()))));
        assertEquals("KEY_REVOKED", send(policyUpdate("config-1", "config-1")));
        assertEquals("COMPLETED", send(policyUpdate("config-2", "config-2")));

        table.forEach((role, cases) -> System.out.println("trust table " + role + ": " + cases));
    }

    /** A key set whose second root signature is by a stranger claiming root-2's id. */
    private byte[] forgedRootSet(KeySet set) throws Exception {
        byte[] bytes = set.toByteArray();
        var signed = dev.vgate.protocol.command.SignedKeySet.newBuilder().setKeySet(ByteString.copyFrom(bytes))
                .addSignatures(dev.vgate.protocol.command.RootSignature.newBuilder().setKeyId("root-1").setSignature(ByteString.copyFrom(key("root-1").sign(bytes))))
                .addSignatures(dev.vgate.protocol.command.RootSignature.newBuilder().setKeyId("root-2").setSignature(ByteString.copyFrom(key("mallory").sign(bytes)))).build();
        return signed(command("key-set-update", System.currentTimeMillis()).setBody(signed.toByteString()), "root-1", "root-1");
    }

    // ------------------------------------------------------------------ one trust state for the daemon and the CLI

    /** {@code vgate cmd verify --config vgate.yaml --in FILE}: its one output line (accepted ... / rejected REASON: ...). */
    private String cmdVerifyWithConfig(byte[] envelope) throws Exception {
        Path in = Files.write(dir.resolve("envelope-" + UUID.randomUUID() + ".bin"), envelope);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run("cmd", "verify", "--config", dir.resolve("vgate.yaml").toString(), "--in", in.toString());
        } finally {
            System.setOut(old);
        }
        String line = out.toString(StandardCharsets.UTF_8).trim();
        assertEquals(line.startsWith("accepted") ? 0 : 2, rc, line);
        return line;
    }

    @Test void aKeySetUpdateTheDaemonPersistedIsWhatCmdVerifyConfigChecksAgainst() throws Exception {
        broker = EmbeddedBroker.start();
        cloud = CommandClient.connect(broker.url(), 10_000);
        startDaemon(writeDevice(ROOTS));
        assertTrue(cmdVerifyWithConfig(getState("app-1", "app-1")).startsWith("accepted "));

        // the running daemon revokes app-1 and rotates app-2 in (persisted in its state_dir/keyset.pb)
        KeySet v2 = KeySet.newBuilder().setVersion(2).addKeys(entry("app-2", List.of("get-state"), List.of()))
                .addKeys(entry("release-1", List.of(), List.of("ota"))).addKeys(entry("config-1", List.of(), List.of("config")))
                .addRevoked("app-1").build();
        assertEquals("COMPLETED", send(keySetUpdate(v2, List.of("root-1", "root-2"), "root-1")));
        assertEquals("KEY_REVOKED", send(getState("app-1", "app-1")));

        // the CLI on the same configuration sees the daemon's trust state, while it runs and after it stopped
        String revoked = cmdVerifyWithConfig(getState("app-1", "app-1"));
        assertTrue(revoked.startsWith("rejected KEY_REVOKED: key 'app-1' is revoked (key set version 2)"), revoked);
        assertTrue(cmdVerifyWithConfig(getState("app-2", "app-2")).startsWith("accepted "));
        daemon.stop();
        daemon = null;
        assertTrue(cmdVerifyWithConfig(getState("app-1", "app-1")).startsWith("rejected KEY_REVOKED"));
        // --trust names a file alone: the trust file still lists app-1
        Path in = Files.write(dir.resolve("app-1.bin"), getState("app-1", "app-1"));
        assertEquals(0, Main.run("cmd", "verify", "--trust", dir.resolve("trust.yaml").toString(), "--vehicle", VIN, "--in", in.toString()));
    }

    // ------------------------------------------------------------------ issue 18 case 3, end to end

    @Test void oneRootKeyListedTwiceCannotMeetThresholdTwoAndTheDaemonRefusesToStart() throws Exception {
        String sameKeyTwice = ROOTS.replace("keys/root-2.pub.pem", "keys/root-1.pub.pem");
        Path config = writeDevice(sameKeyTwice);
        DaemonException e = assertThrows(DaemonException.class, () -> new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC(),
                new VgateDaemon.Hooks(Map.of("powertrain", new VirtualBus("can0")), OtaListener.NONE)));
        assertTrue(e.getMessage().contains("root key 'root-2' has the same public key as root key 'root-1'")
                || e.getMessage().contains("root key 'root-1' has the same public key as root key 'root-2'"), e.getMessage());
        // vgate config check refuses the same file, with the same reason
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run("config", "check", "--config", config.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has the same public key"), err.toString(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ migration (issue 13 item 4)

    @Test void anOldFormatOtaTrustFileStopsTheDaemonWithTheCommandThatConvertsIt() throws Exception {
        Path config = writeDevice(ROOTS);
        Files.writeString(dir.resolve("trust.yaml"), "keys:\n  - id: release\n    roles: [ota]\n    ed25519: \"" + java.util.Base64.getEncoder()
                .encodeToString(java.util.Arrays.copyOfRange(key("old-release").publicKey().encoded(), 12, 44)) + "\"\n");
        DaemonException e = assertThrows(DaemonException.class, () -> new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC(),
                new VgateDaemon.Hooks(Map.of("powertrain", new VirtualBus("can0")), OtaListener.NONE)));
        assertTrue(e.getMessage().contains("convert it with: vgate keys import-ota-trust"), e.getMessage());
        assertEquals(0, Main.run("keys", "import-ota-trust", dir.resolve("trust.yaml").toString(), "--out", dir.resolve("converted").toString()));
        assertEquals(0, Main.run("keys", "gen", "--root", "--id", "root-1", "--out", dir.resolve("converted").toString(),
                "--trust", dir.resolve("converted/trust.yaml").toString()));
        assertEquals(Set.of("ota"), dev.vgate.trust.TrustFile.load(dir.resolve("converted/trust.yaml")).toState().key("release").roles());
    }

}
