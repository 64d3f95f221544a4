package dev.vgate.agent.command.mqtt;

import dev.vgate.agent.command.CommandStack;
import dev.vgate.agent.command.TestKeys;
import dev.vgate.agent.command.exec.CanCommandMapping;
import dev.vgate.agent.command.exec.ConfigUpdateSink;
import dev.vgate.agent.command.state.CommandStateDb;
import dev.vgate.agent.command.verify.VerifierConfig;
import dev.vgate.canbus.CanFrame;
import dev.vgate.protocol.command.CommandResponse;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The whole command path over a real broker: embedded Moquette, the agent's CommandService on one
 * MQTT connection, the cloud's CommandClient on another, and recording sinks standing in for the CAN
 * bus, the config consumers and the OTA client.
 */
public final class CommandRig implements AutoCloseable {
    public final TestBroker broker;
    public final TestPahoLink agentLink;
    public final CommandStack stack;
    public final CommandService service;
    public final CommandClient cloud;
    public final List<CanFrame> frames = new CopyOnWriteArrayList<>();
    public final List<String> configs = new CopyOnWriteArrayList<>();
    public final List<byte[]> otaManifests = new CopyOnWriteArrayList<>();

    public CommandRig(Path stateDir, CanCommandMapping mapping, int maxEnvelopeBytes) throws Exception {
        broker = new TestBroker();
        agentLink = new TestPahoLink(broker.url());
        Clock clock = Clock.systemUTC();
        CommandStack.Sinks sinks = CommandStack.Sinks.refusing()
                .withCan(f -> frames.add(f.copy()))
                .withConfig((ConfigUpdateSink.Kind k, byte[] b) -> configs.add(k + ":" + new String(b, java.nio.charset.StandardCharsets.UTF_8)))
                .withOta(otaManifests::add)
                .withPause(ms -> { });
        stack = CommandStack.create(VerifierConfig.defaults(TestKeys.VIN).withMaxEnvelopeBytes(maxEnvelopeBytes),
                TestKeys.initialState(), CommandStateDb.open(stateDir), mapping, sinks, clock);
        service = new CommandService(TestKeys.VIN, agentLink, stack.processor(), stack.state(), clock, maxEnvelopeBytes);
        service.start();
        cloud = CommandClient.connect(broker.url(), 5000);
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
