package dev.vgate.agent.daemon;

import com.google.protobuf.ByteString;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.command.mqtt.CommandTopics;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.protocol.command.Command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet cloud of the daemon tests: an operator key the gateway's command trust file names, and a
 * link that publishes signed commands to the vehicle's command topic and keeps every answer (so a second RESULT
 * for one command, a duplicate execution, is seen).
 */
final class TestCloud implements AutoCloseable {
    static final String OPERATOR = "fleet-ops-1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PrivateKey operator = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
    private final AtomicLong sequence = new AtomicLong();
    private final String vehicle;
    private final String responseTopic = "test-cloud/" + UUID.randomUUID() + "/responses";
    private final BlockingQueue<CommandResponse> responses = new LinkedBlockingQueue<>();
    private final List<CommandResponse> seen = new ArrayList<>();
    private PahoMqttLink link;

    TestCloud(String vehicle) { this.vehicle = vehicle; }

    /** Writes the gateway's command trust file (and the operator's public key) into {@code dir}; the operator may send {@code commands}. */
    Path writeTrust(Path dir, List<String> commands) throws Exception { return writeTrust(dir, commands, null); }

    /** As {@link #writeTrust(Path, List)}, plus the release key {@code releasePub} (id "release", role ota): the one trust file. */
    Path writeTrust(Path dir, List<String> commands, Path releasePub) throws Exception {
        PrivateKey root = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
        Path keys = Files.createDirectories(dir.resolve("cmd-keys"));
        PemKeys.writePublic(keys.resolve(OPERATOR + ".pub.pem"), operator.publicKey());
        PemKeys.writePublic(keys.resolve("root-1.pub.pem"), root.publicKey());
        return Files.writeString(dir.resolve("cmd-trust.yaml"), """
                version: 1
                keys:
                  - id: %s
                    public_key: cmd-keys/%s.pub.pem
                    commands: [%s]
                %s
                root:
                  threshold: 1
                  keys:
                    - id: root-1
                      public_key: cmd-keys/root-1.pub.pem
                """.formatted(OPERATOR, OPERATOR, String.join(", ", commands), releasePub == null ? "" : "  - id: release\n    public_key: "
                + dir.relativize(releasePub) + "\n    roles: [ota]"));
    }

    /** Connects and subscribes to its response topic (returns after the SUBACK). */
    TestCloud connect(String brokerUrl) throws Exception {
        link = new PahoMqttLink(MqttSettings.of(brokerUrl, "test-cloud-" + UUID.randomUUID())).start();
        if (!link.awaitConnected(Duration.ofSeconds(20))) throw new IllegalStateException("the test cloud did not connect to " + brokerUrl);
        link.subscribe(responseTopic, 1, m -> {
            try {
                responses.add(CommandResponse.parseFrom(m.payload()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("unparsable response", e);
            }
        }).get(20, TimeUnit.SECONDS);
        return this;
    }

    /** A signed envelope of a fresh command (valid for a minute). */
    byte[] sign(String id, String type, Map<String, String> params, byte[] body) throws Exception {
        long now = System.currentTimeMillis();
        Command c = Command.newBuilder().setCommandId(id).setVehicleId(vehicle)
                .setIssuedAtMs(now).setExpiresAtMs(now + 60_000).setSequence(sequence.incrementAndGet())
                .setType(type).putAllParams(params).setBody(ByteString.copyFrom(body)).build();
        return CommandSigner.sign(c, OPERATOR, operator).toByteArray();
    }

    /** Publishes a signed command (QoS 1, message expiry 60 s) to the vehicle's command topic; returns its id once the broker has it. */
    String send(String type, Map<String, String> params, byte[] body) throws Exception {
        String id = UUID.randomUUID().toString();
        MqttLink.PublishResult r = link.publish(CommandTopics.commands(vehicle), sign(id, type, params, body),
                new MqttLink.PublishOptions(1, false, 60, Map.of(), responseTopic, id.getBytes(StandardCharsets.UTF_8), "application/x-protobuf"))
                .get(20, TimeUnit.SECONDS);
        if (!r.isSuccess()) throw new IllegalStateException("the broker refused the command: reason code " + r.reasonCode());
        return id;
    }

    /** Waits for the RESULT of command {@code id}; every response that arrives meanwhile is kept for {@link #results}. */
    CommandResponse awaitResult(String id, Duration timeout) throws InterruptedException {
        return await(id, CommandResponse.Stage.RESULT, timeout);
    }

    /** Waits for the response of command {@code id} at {@code stage} (ACK or RESULT), keeping every other that arrives. */
    CommandResponse await(String id, CommandResponse.Stage stage, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (CommandResponse r : seen) if (r.getCommandId().equals(id) && r.getStage() == stage) return r;
            long left = deadline - System.nanoTime();
            CommandResponse r = left <= 0 ? null : responses.poll(left, TimeUnit.NANOSECONDS);
            if (r == null) throw new AssertionError("no " + stage + " for command " + id + " within " + timeout + "; responses so far: " + seen);
            seen.add(r);
        }
    }

    /** Takes every response that arrives within {@code wait}, then returns the RESULTs received for command {@code id}. */
    List<CommandResponse> resultsAfter(String id, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            CommandResponse r = responses.poll(left, TimeUnit.NANOSECONDS);
            if (r != null) seen.add(r);
        }
        return results(id);
    }

    /** The RESULTs received so far for command {@code id}. */
    List<CommandResponse> results(String id) {
        List<CommandResponse> out = new ArrayList<>();
        for (CommandResponse r : seen) if (r.getCommandId().equals(id) && r.getStage() == CommandResponse.Stage.RESULT) out.add(r);
        return out;
    }

    @Override public void close() {
        if (link != null) link.close();
    }
}
