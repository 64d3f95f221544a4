package dev.vgate.command.mqtt;

import dev.vgate.command.CommandStack;
import dev.vgate.command.TestKeys;
import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.command.exec.ConfigUpdateSink;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.verify.VerifierConfig;
import dev.vgate.canbus.CanFrame;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.protocol.command.CommandResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The whole command path over a real broker: embedded Moquette, the agent's CommandService on a
 * PahoMqttLink, the cloud's CommandClient on another connection, and recording sinks standing in for
 * the CAN bus, the config consumers and the OTA client.
 */
public final class CommandRig implements AutoCloseable {
    public final EmbeddedBroker broker;
    public final PahoMqttLink agentLink;
    public final CommandStack stack;
    public final CommandService service;
    public final CommandClient cloud;
    public final List<CanFrame> frames = new CopyOnWriteArrayList<>();
    public final List<String> configs = new CopyOnWriteArrayList<>();
    public final List<byte[]> otaManifests = new CopyOnWriteArrayList<>();

    public CommandRig(Path stateDir, CanCommandMapping mapping, int maxEnvelopeBytes) throws Exception {
        broker = EmbeddedBroker.start();
        agentLink = link(broker);
        Clock clock = Clock.systemUTC();
        CommandStack.Sinks sinks = CommandStack.Sinks.refusing()
                .withCan(f -> frames.add(f.copy()))
                .withConfig((ConfigUpdateSink.Kind k, byte[] b) -> configs.add(k + ":" + new String(b, StandardCharsets.UTF_8)))
                .withOta(otaManifests::add)
                .withPause(ms -> { });
        stack = CommandStack.create(VerifierConfig.defaults(TestKeys.VIN).withMaxEnvelopeBytes(maxEnvelopeBytes),
                TestKeys.initialState(), CommandStateDb.open(stateDir), mapping, sinks, clock);
        service = new CommandService(CommandTopics.defaultPrefix(TestKeys.VIN), agentLink, stack.processor(), stack.state(), clock, maxEnvelopeBytes);
        service.start();
        awaitSubscriptions(agentLink);
        cloud = CommandClient.connect(broker.url(), 5000);
    }

    /**
     * Returns once the broker has processed every SUBSCRIBE this link sent so far: the link sends them in
     * order and the broker answers one connection's packets in order, so a probe's SUBACK covers the earlier ones.
     */
    public static void awaitSubscriptions(PahoMqttLink link) throws InterruptedException {
        try {
            link.subscribe("vgate-test/probe/" + UUID.randomUUID(), 1, m -> { }).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("subscriptions not confirmed within 30 s: " + e, e);
        }
    }

    /** A connected PahoMqttLink (clean, unique client id). */
    public static PahoMqttLink link(EmbeddedBroker broker) throws Exception {
        PahoMqttLink l = new PahoMqttLink(MqttSettings.of(broker.url(), "vgate-test-" + UUID.randomUUID())).start();
        if (!l.awaitConnected(Duration.ofSeconds(10))) throw new IllegalStateException("agent link did not connect");
        return l;
    }

    /** Sends and waits for ACK and RESULT; returns the RESULT. */
    public CommandResponse roundTrip(byte[] envelope) throws Exception {
        CommandClient.Exchange ex = cloud.send(TestKeys.VIN, envelope, 30);
        ex.ack.get(10, TimeUnit.SECONDS);
        return ex.result.get(10, TimeUnit.SECONDS);
    }

    @Override public void close() {
        cloud.close();
        service.close();
        agentLink.close();
        stack.close();
        broker.close();
    }
}
