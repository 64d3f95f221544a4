package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import dev.vgate.agent.command.CommandEndpoint;
import dev.vgate.command.CommandStack;
import dev.vgate.command.mqtt.CommandRig;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The cloud-side workflow through the real command line: keys gen, cmd sign, cmd verify, keys sign-set. */
class CmdCommandTest {
    private static final String VIN = "KMHK381GFMU123456";
    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private InputStream oldIn;
    private Path keys, trust, state;

    @BeforeEach void setUp() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        keys = dir.resolve("keys");
        state = dir.resolve("state");
        assertEquals(0, Main.run("keys", "gen", "--alg", "ed25519", "--out", keys.toString(), "--id", "owner-app-1"));
        assertEquals(0, Main.run("keys", "gen", "--alg", "p256", "--out", keys.toString(), "--id", "ota-1"));
        assertEquals(0, Main.run("keys", "gen", "--alg", "ed25519", "--out", keys.toString(), "--id", "root-1"));
        assertEquals(0, Main.run("keys", "gen", "--alg", "p256", "--out", keys.toString(), "--id", "root-2"));
        trust = dir.resolve("trust.yaml");
        Files.writeString(trust, "version: 1\nkeys:\n"
                + "  - id: owner-app-1\n    public_key: keys/owner-app-1.pub.pem\n    commands: [lock, unlock, horn, lights, climate, get-state]\n"
                + "  - id: ota-1\n    public_key: keys/ota-1.pub.pem\n    commands: [start-ota]\n"
                + "root:\n  threshold: 2\n  keys:\n    - id: root-1\n      public_key: keys/root-1.pub.pem\n"
                + "    - id: root-2\n      public_key: keys/root-2.pub.pem\n");
        out.reset();
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    private String stdout() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    private Path sign(String name, String... args) {
        Path f = dir.resolve(name);
        String[] base = {"cmd", "sign", "--vehicle", VIN, "--out", f.toString()};
        String[] all = new String[base.length + args.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        assertEquals(0, Main.run(all), err.toString(StandardCharsets.UTF_8));
        return f;
    }

    private int verifyFromStdin(Path envelope) throws Exception {
        System.setIn(new ByteArrayInputStream(Files.readAllBytes(envelope)));
        return Main.run("cmd", "verify", "--trust", trust.toString(), "--vehicle", VIN, "--state", state.toString());
    }

    @Test void keysAreWrittenAsPem() throws Exception {
        assertTrue(Files.readString(keys.resolve("owner-app-1.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(keys.resolve("ota-1.pub.pem")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals(1, Main.run("keys", "gen", "--alg", "ed25519", "--out", keys.toString(), "--id", "owner-app-1"), "no overwrite");
    }

    @Test void acceptedOnceThenReplayRejectedWithState() throws Exception {
        Path unlock = sign("unlock.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "unlock", "--id", "cmd-0001");
        assertEquals(0, verifyFromStdin(unlock));
        assertEquals("accepted cmd-0001\n", stdout());
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(unlock));
        assertTrue(stdout().startsWith("rejected REPLAYED: "));
        // without --state nothing persists, so the same envelope passes again
        System.setIn(new ByteArrayInputStream(Files.readAllBytes(unlock)));
        assertEquals(0, Main.run("cmd", "verify", "--trust", trust.toString(), "--vehicle", VIN));
    }

    @Test void rejectionsNameTheirReason() throws Exception {
        Path ota = sign("ota.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "start-ota");
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(ota));
        assertTrue(stdout().startsWith("rejected ROLE_NOT_ALLOWED: key 'owner-app-1' may not issue 'start-ota'"));
        Path other = dir.resolve("other.bin");
        assertEquals(0, Main.run("cmd", "sign", "--vehicle", "OTHER", "--key", keys.resolve("owner-app-1").toString(),
                "--type", "unlock", "--out", other.toString()));
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(other));
        assertTrue(stdout().startsWith("rejected WRONG_VEHICLE: "));
        Path old = sign("old.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "lock", "--ttl", "30s",
                "--issued-at", Long.toString(System.currentTimeMillis() - 3_600_000));
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(old));
        assertTrue(stdout().startsWith("rejected EXPIRED: "));
        Path seq = sign("seq1.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "lock", "--seq", "10");
        assertEquals(0, verifyFromStdin(seq));
        stdout();
        Path seqLow = sign("seq2.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "lock", "--seq", "9");
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(seqLow));
        assertTrue(stdout().startsWith("rejected SEQUENCE_NOT_INCREASING: "));
        Path climate = sign("climate.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "climate", "--param", "setpoint=500");
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(climate));
        assertTrue(stdout().startsWith("rejected INVALID_PARAMS: "));
        Files.write(dir.resolve("junk.bin"), new byte[] {1, 2, 3});
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(dir.resolve("junk.bin")));
        assertTrue(stdout().startsWith("rejected MALFORMED: "));
    }

    @Test void rootSignedKeySetRevokesTheOwnerKey() throws Exception {
        Path next = dir.resolve("keyset-v2.yaml");
        Files.writeString(next, "keys:\n  - id: ota-1\n    public_key: keys/ota-1.pub.pem\n    commands: [start-ota]\nrevoked: [owner-app-1]\n");
        Path oneRoot = dir.resolve("v2-one-root.bin");
        assertEquals(0, Main.run("keys", "sign-set", "--keys", next.toString(), "--version", "2",
                "--root", keys.resolve("root-1").toString(), "--out", oneRoot.toString()));
        Path weak = sign("weak.bin", "--key", keys.resolve("root-1").toString(), "--type", "key-set-update", "--body", oneRoot.toString());
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(weak));
        assertTrue(stdout().startsWith("rejected KEYSET_THRESHOLD_NOT_MET: 1 distinct valid root key(s)"));

        Path set = dir.resolve("v2.bin");
        assertEquals(0, Main.run("keys", "sign-set", "--keys", next.toString(), "--version", "2",
                "--root", keys.resolve("root-1").toString(), "--root", keys.resolve("root-2").toString(), "--out", set.toString()));
        Path update = sign("update.bin", "--key", keys.resolve("root-2").toString(), "--type", "key-set-update", "--body", set.toString());
        assertEquals(0, verifyFromStdin(update), stdout());
        stdout();
        Path unlock = sign("unlock.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "unlock");
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(unlock));
        assertTrue(stdout().startsWith("rejected KEY_REVOKED: "));
        Path again = sign("again.bin", "--key", keys.resolve("root-1").toString(), "--type", "key-set-update", "--body", set.toString());
        assertEquals(VgateCommand.EXIT_REJECTED, verifyFromStdin(again));
        assertTrue(stdout().startsWith("rejected KEYSET_VERSION_NOT_NEWER: "));
    }

    @Test void verifyTakesTrustVehicleLimitsAndMappingFromTheAgentsConfig() throws Exception {
        Files.createDirectories(dir.resolve("agent-state"));
        Files.writeString(dir.resolve("ev.dbc"), "x\n");
        Files.writeString(dir.resolve("can.yaml"), "dbc: classpath:dev/vgate/dbc/demo/vgate-demo.dbc\ncommands:\n"
                + "  lock: {message: Body_Command, signals: {DoorLockRequest: LOCK}}\n");
        Path cfg = dir.resolve("vgate.yaml");
        Files.writeString(cfg, "vehicle_id: " + VIN + "\nstate_dir: agent-state\n"
                + "buses:\n  - name: body\n    interface: can0\n    dbc: ev.dbc\n"
                + "mqtt:\n  url: tcp://localhost:1883\n"
                + "commands:\n  trust: trust.yaml\n  max_payload: 512\n  can_mapping: can.yaml\n");
        String owner = keys.resolve("owner-app-1").toString();
        String[] verify = {"cmd", "verify", "--config", cfg.toString(), "--in"};

        Path lock = sign("lock.bin", "--key", owner, "--type", "lock");
        assertEquals(0, Main.run(concat(verify, lock.toString())), err.toString(StandardCharsets.UTF_8));
        assertTrue(stdout().startsWith("accepted "));
        Path unlock = sign("unlock.bin", "--key", owner, "--type", "unlock");
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run(concat(verify, unlock.toString())));
        assertTrue(stdout().startsWith("rejected UNKNOWN_TYPE: "), "this vehicle's mapping has no unlock");
        Path big = sign("big.bin", "--key", owner, "--type", "lock", "--body", dir.resolve("can.yaml").toString(),
                "--param", "pad=" + "x".repeat(400));
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run(concat(verify, big.toString())));
        assertTrue(stdout().matches("rejected PAYLOAD_TOO_LARGE: \\d+ bytes > limit 512\\n"), "max_payload from the config");
        assertFalse(Files.exists(dir.resolve("agent-state").resolve("commands.db")), "never touches the agent's own state");
    }

    @Test void sendPublishesWaitsForAckAndResultAndExitsOnTheStatus() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(); PahoMqttLink link = CommandRig.link(broker)) {
            CommandsConfig cfg = new CommandsConfig(trust, java.time.Duration.ofSeconds(30), 16 * 1024, null);
            CommandEndpoint agent = CommandEndpoint.create(VIN, "fleet/" + VIN, dir.resolve("agent-state"), cfg, link,
                    CommandStack.Sinks.refusing(), java.time.Clock.systemUTC());
            agent.start();
            CommandRig.awaitSubscriptions(link);
            try {
                String owner = keys.resolve("owner-app-1").toString();
                Path state = sign("state.bin", "--key", owner, "--type", "get-state", "--param", "signals=SoC");
                String[] send = {"cmd", "send", "--broker", broker.url(), "--topic-prefix", "fleet/" + VIN, "--timeout", "20s", "--in"};
                assertEquals(0, Main.run(concat(send, state.toString())), err.toString(StandardCharsets.UTF_8));
                String printed = stdout();
                assertTrue(printed.matches("(?s)ack [0-9.]+ ms\nresult COMPLETED [0-9.]+ ms\n  missing = SoC\n"), printed);
                assertEquals(VgateCommand.EXIT_REJECTED, Main.run(concat(send, state.toString())));
                printed = stdout();
                assertTrue(printed.matches("(?s)ack [0-9.]+ ms\\nresult REJECTED [0-9.]+ ms REPLAYED: .*"), printed);
                Path unlock = sign("unlock.bin", "--key", owner, "--type", "unlock");
                assertEquals(VgateCommand.EXIT_REJECTED, Main.run(concat(send, unlock.toString())));
                assertTrue(stdout().contains("UNKNOWN_TYPE: "), "this agent has no CAN mapping");
            } finally {
                agent.stop();
            }
        }
        Files.write(dir.resolve("junk.bin"), new byte[] {1, 2, 3});
        assertEquals(1, Main.run("cmd", "send", "--broker", "tcp://127.0.0.1:1", "--in", dir.resolve("junk.bin").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("input is not a SignedCommand"), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test void aBadTrustFileIsAnErrorNotARejection() throws Exception {
        Files.writeString(trust, "keys: []\nroot:\n  threshold: 1\n  keys: []\n");
        Path unlock = sign("unlock.bin", "--key", keys.resolve("owner-app-1").toString(), "--type", "unlock");
        assertEquals(1, verifyFromStdin(unlock));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("trust.yaml: root threshold 1 without root keys"), err.toString(StandardCharsets.UTF_8));
    }
}
