package dev.vgate.agent.command;

import dev.vgate.command.CommandException;
import dev.vgate.command.CommandStack;
import dev.vgate.command.TestKeys;

import com.google.protobuf.ByteString;
import dev.vgate.command.exec.CommandFrameSink;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.mqtt.CommandRig;
import dev.vgate.command.state.AuditEntry;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.agent.config.MqttConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanEventListener;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.CommandResponse.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.vgate.command.TestKeys.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The endpoint as the daemon wires it (trust file, state directory, CAN mapping, a real broker and a
 * virtual CAN bus), including what must survive an agent restart: the replay table, the per-key
 * sequence, an applied key-set update and the audit records.
 */
class CommandEndpointTest {
    @TempDir Path dir;
    private EmbeddedBroker broker;
    private VirtualBus bus;
    private CanChannel agentCan;
    private CanChannel observer;
    private final List<CanFrame> onBus = new CopyOnWriteArrayList<>();
    private CommandsConfig config;
    private CommandClient cloud;

    @BeforeEach void setUp() throws Exception {
        broker = EmbeddedBroker.start();
        bus = new VirtualBus("vcan0");
        agentCan = bus.newChannel();
        agentCan.start(f -> { }, CanEventListener.LOG);
        observer = bus.newChannel();
        observer.start(f -> onBus.add(f.copy()), CanEventListener.LOG);
        config = EndpointFixture.writeConfig(dir);
        cloud = CommandClient.connect(broker.url(), 10_000);
    }

    @AfterEach void tearDown() {
        if (cloud != null) cloud.close();
        observer.close();
        agentCan.close();
        broker.close();
    }

    private CommandEndpoint endpoint(PahoMqttLink link) throws CommandException {
        CommandStack.Sinks sinks = CommandStack.Sinks.refusing().withCan(CommandFrameSink.to(agentCan)).withPause(ms -> { });
        return CommandEndpoint.create(VIN, null, dir.resolve("state"), config, link, sinks, Clock.systemUTC());
    }

    private CommandResponse roundTrip(byte[] envelope) throws Exception {
        return EndpointFixture.roundTrip(cloud, envelope, 20);
    }

    private void awaitFramesOnBus(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (onBus.size() < n && System.nanoTime() < deadline) Thread.sleep(10);
    }

    @Test void unlockGoesThroughTheBrokerOntoTheVirtualBus() throws Exception {
        try (PahoMqttLink link = CommandRig.link(broker)) {
            CommandEndpoint ep = endpoint(link);
            assertFalse(ep.healthy(), "not started yet");
            ep.start();
            CommandRig.awaitSubscriptions(link);
            try {
                CommandResponse r = roundTrip(signed(command("unlock", System.currentTimeMillis()), OWNER));
                assertEquals(Status.COMPLETED, r.getStatus(), r::toString);
                awaitFramesOnBus(2);
                assertEquals(2, onBus.size(), "mapping says repeat: 2");
                for (CanFrame f : onBus) {
                    assertEquals(784, f.id());             // Body_Command
                    assertEquals(2, f.data()[0] & 0x03);   // DoorLockRequest = UNLOCK
                    assertEquals("vcan0", f.iface());
                }
                assertEquals(2, agentCan.counters().framesOut());
                // horn is in the key's role but not in this vehicle's mapping: nothing this agent can execute
                r = roundTrip(signed(command("horn", System.currentTimeMillis()), OWNER));
                assertEquals("UNKNOWN_TYPE", r.getReasonCode());
                assertEquals(1L, ep.status().get("completed"));
                assertEquals(1L, ep.status().get("rejected"));
                assertEquals("UNKNOWN_TYPE", ep.status().get("last_rejection"));
                assertEquals(1L, ep.status().get("key_set_version"));
            } finally {
                ep.stop();
            }
            assertFalse(ep.healthy());
        }
    }

    @Test void replaySequenceRevocationAndAuditSurviveARestart() throws Exception {
        long now = System.currentTimeMillis();
        byte[] unlock = signed(command("unlock", now).setSequence(100), OWNER);
        byte[] older = signed(command("lock", now).setSequence(50), OWNER);
        byte[] otaKeyCommand = signed(command("start-ota", now).setSequence(7).setBody(ByteString.copyFromUtf8("m")), OTA);
        byte[] revokeOta = signed(command("key-set-update", now).setBody(ByteString.copyFrom(
                signedKeySet(dev.vgate.protocol.command.KeySet.newBuilder().setVersion(2)
                        .addKeys(entry(OWNER, OWNER_COMMANDS)).addRevoked(OTA).build(), "root-1", "root-3"))), "root-1");

        try (PahoMqttLink link = CommandRig.link(broker)) {
            CommandEndpoint first = endpoint(link);
            first.start();
            CommandRig.awaitSubscriptions(link);
            assertEquals(Status.COMPLETED, roundTrip(unlock).getStatus());
            assertEquals(Status.COMPLETED, roundTrip(revokeOta).getStatus());
            assertEquals(2L, first.status().get("key_set_version"));
            first.stop();
        }
        awaitFramesOnBus(2);
        int framesBefore = onBus.size();

        // a new process: new link, new endpoint, same state directory and the same (version 1) trust file
        try (PahoMqttLink link = CommandRig.link(broker)) {
            CommandEndpoint second = endpoint(link);
            second.start();
            CommandRig.awaitSubscriptions(link);
            try {
                assertEquals(2, second.stack().trust().current().version(), "the applied key set outlives the trust file's version 1");
                CommandResponse r = roundTrip(unlock);
                assertEquals("REPLAYED", r.getReasonCode(), r::toString);
                r = roundTrip(older);
                assertEquals("SEQUENCE_NOT_INCREASING", r.getReasonCode(), r::toString);
                assertTrue(r.getDetail().contains("last accepted 100"), r.getDetail());
                r = roundTrip(otaKeyCommand);
                assertEquals("KEY_REVOKED", r.getReasonCode(), r::toString);
                assertEquals(framesBefore, onBus.size(), "nothing executed after the restart");
                List<String> audited = second.stack().state().allAudit().stream().map(AuditEntry::reasonCode).toList();
                assertEquals(List.of("REPLAYED", "SEQUENCE_NOT_INCREASING", "KEY_REVOKED"), audited);
            } finally {
                second.stop();
            }
        }
    }

    @Test void fromConfigListensUnderTheConfiguredTopicPrefixAndAuditsThere() throws Exception {
        String prefix = "fleet/eu/" + VIN;
        VgateConfig vc = new VgateConfig(null, VIN, dir.resolve("state"), List.of(), MqttConfig.of(broker.url(), "agent", prefix),
                null, null, config, null, null, null);
        List<String> auditTopics = new CopyOnWriteArrayList<>();
        try (PahoMqttLink link = CommandRig.link(broker); PahoMqttLink auditor = CommandRig.link(broker)) {
            auditor.subscribe("fleet/eu/+/audit", 1, m -> auditTopics.add(m.topic()));
            CommandRig.awaitSubscriptions(auditor);
            CommandEndpoint ep = CommandEndpoint.fromConfig(vc, link, CommandStack.Sinks.refusing().withCan(CommandFrameSink.to(agentCan)), Clock.systemUTC());
            ep.start();
            CommandRig.awaitSubscriptions(link);
            try {
                assertEquals(prefix + "/cmd", ep.status().get("topic"));
                CommandClient.Exchange ex = cloud.sendTo(prefix + "/cmd", signed(command("lock", System.currentTimeMillis()), OWNER), 30);
                assertEquals(Status.COMPLETED, ex.result.get(20, TimeUnit.SECONDS).getStatus());
                ex = cloud.sendTo(prefix + "/cmd", signed(command("lock", System.currentTimeMillis()).setVehicleId("OTHERVIN"), OWNER), 30);
                assertEquals("WRONG_VEHICLE", ex.result.get(20, TimeUnit.SECONDS).getReasonCode());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (auditTopics.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
                assertEquals(List.of(prefix + "/audit"), auditTopics);
            } finally {
                ep.stop();
            }
        }
        VgateConfig off = new VgateConfig(null, VIN, dir, List.of(), null, null, null, null, null, null, null);
        CommandException e = assertThrows(CommandException.class, () -> CommandEndpoint.fromConfig(off, null, CommandStack.Sinks.refusing(), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("commands are disabled"), e.getMessage());
    }

    @Test void aBrokenTrustFileFailsTheFactoryNamingTheFile() throws Exception {
        Files.writeString(config.trust(), "keys:\n  - id: a\n    public_key: keys/missing.pub.pem\n    commands: [unlock]\n");
        CommandException e = assertThrows(CommandException.class, () -> endpoint(null));
        assertTrue(e.getMessage().contains("missing.pub.pem"), e.getMessage());
        CommandsConfig noTrust = new CommandsConfig(null, Duration.ofSeconds(30), 16 * 1024, null);
        e = assertThrows(CommandException.class, () -> CommandEndpoint.create(VIN, null, dir, noTrust, null, CommandStack.Sinks.refusing(), Clock.systemUTC()));
        assertEquals("commands.trust: required", e.getMessage());
        e = assertThrows(CommandException.class, () -> CommandEndpoint.create("VIN/+", null, dir, config, null, CommandStack.Sinks.refusing(), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("part of MQTT topics"), e.getMessage());
    }
}
