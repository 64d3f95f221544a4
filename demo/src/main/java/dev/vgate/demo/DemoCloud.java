package dev.vgate.demo;

import dev.vgate.command.CommandException;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.buffer.wire.WireException;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;
import com.google.protobuf.ByteString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated fleet cloud: receives the vehicle's telemetry, alerts and update outcomes over MQTT (decoding
 * every batch back into samples, counting the bytes), and sends commands signed with the fleet's keys, which
 * the gateway's trust file (written here) names.
 */
final class DemoCloud implements AutoCloseable {
    static final String OPERATOR_KEY = "fleet-ops-1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String vehicle;
    private final PrivateKey operator = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
    private final PahoMqttLink link;
    private final CommandClient commands;
    private final AtomicLong telemetryBytes = new AtomicLong();
    private final AtomicLong telemetrySamples = new AtomicLong();
    private final AtomicLong alertSamples = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong badBatches = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    final List<String> alerts = new CopyOnWriteArrayList<>();
    /** Diagnostic events: "dtc/ECU CODE status" and "freeze/ECU/CODE DID raw". */
    final List<String> dtcAlerts = new CopyOnWriteArrayList<>();
    final List<String> otaReports = new CopyOnWriteArrayList<>();
    /** Trace time (µs) of each rule's first "fired" alert sample. */
    final Map<String, Long> alertTimes = new java.util.concurrent.ConcurrentHashMap<>();

    private DemoCloud(String vehicle, PahoMqttLink link, CommandClient commands) {
        this.vehicle = vehicle;
        this.link = link;
        this.commands = commands;
    }

    static DemoCloud connect(String brokerUrl, String vehicle) throws MqttLinkException, CommandException, InterruptedException {
        PahoMqttLink link = new PahoMqttLink(MqttSettings.of(brokerUrl, "demo-cloud")).start();
        if (!link.awaitConnected(Duration.ofSeconds(20))) throw new MqttLinkException("demo cloud could not connect to " + brokerUrl);
        DemoCloud c = new DemoCloud(vehicle, link, CommandClient.connect(brokerUrl, 20_000));
        String prefix = "vgate/" + vehicle;
        link.subscribe(prefix + "/telemetry", 1, m -> c.batch(m, false));
        link.subscribe(prefix + "/alerts", 1, m -> c.batch(m, true));
        link.subscribe(prefix + "/ota", 1, m -> c.otaReports.add(new String(m.payload(), StandardCharsets.UTF_8)));
        return c;
    }

    private void batch(MqttLink.Incoming m, boolean alert) {
        try {
            long n = BatchDecoder.visit(BatchDecoder.parse(m.payload()), (ts, bus, msg, signal, raw, value) -> {
                if (alert && "diag".equals(bus)) {
                    // a DTC event (its status byte; -1 = cleared) or a value of its freeze frame (physical, by the stream's factor)
                    dtcAlerts.add(msg.startsWith("dtc/") ? msg + " " + signal + (raw < 0 ? " cleared" : String.format(" status=0x%02X", raw))
                            : msg + " " + signal + "=" + (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)));
                } else if (alert) {
                    alerts.add(signal + (raw == 1 ? " fired" : " cleared"));
                    if (raw == 1) alertTimes.putIfAbsent(signal, ts);
                }
            });
            batches.incrementAndGet();
            (alert ? alertSamples : telemetrySamples).addAndGet(n);
            if (!alert) telemetryBytes.addAndGet(m.payload().length);
        } catch (WireException e) {
            badBatches.incrementAndGet();
        }
    }

    /** The gateway's trust file: the operator key may send these commands, the release key signs updates; root keys for rotation. */
    Path writeTrustFile(Path dir, String releaseId, dev.vgate.trust.crypto.PublicKey release) throws IOException {
        PrivateKey root = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
        Path keys = Files.createDirectories(dir.resolve("keys"));
        PemKeys.writePublic(keys.resolve(OPERATOR_KEY + ".pub.pem"), operator.publicKey());
        PemKeys.writePublic(keys.resolve("root-1.pub.pem"), root.publicKey());
        PemKeys.writePublic(keys.resolve(releaseId + ".pub.pem"), release);
        Path trust = dir.resolve("trust.yaml");
        Files.writeString(trust, """
                version: 1
                keys:
                  - id: %s
                    public_key: keys/%s.pub.pem
                    commands: [horn, lights, lock, unlock, get-state, locate, start-ota]
                  - id: %s
                    public_key: keys/%s.pub.pem
                    roles: [ota]
                root:
                  threshold: 1
                  keys:
                    - id: root-1
                      public_key: keys/root-1.pub.pem
                """.formatted(OPERATOR_KEY, OPERATOR_KEY, releaseId, releaseId));
        return trust;
    }

    /** Signs and sends a command; returns the exchange (ACK and RESULT futures, with their arrival times). */
    CommandClient.Exchange send(String type, Map<String, String> params, byte[] body) throws CommandException, KeyFormatException {
        long now = System.currentTimeMillis();
        Command c = Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(vehicle)
                .setIssuedAtMs(now).setExpiresAtMs(now + 60_000).setSequence(sequence.incrementAndGet())
                .setType(type).putAllParams(params).setBody(ByteString.copyFrom(body)).build();
        byte[] envelope = CommandSigner.sign(c, OPERATOR_KEY, operator).toByteArray();
        return commands.send(vehicle, envelope, 60);
    }

    /** Waits for the RESULT of an exchange. */
    static CommandResponse result(CommandClient.Exchange ex, long seconds) throws Exception {
        return ex.result.get(seconds, TimeUnit.SECONDS);
    }

    long telemetryBytes() { return telemetryBytes.get(); }

    long telemetrySamples() { return telemetrySamples.get(); }

    long alertSamples() { return alertSamples.get(); }

    long batches() { return batches.get(); }

    long badBatches() { return badBatches.get(); }

    @Override public void close() {
        commands.close();
        link.close();
    }
}
