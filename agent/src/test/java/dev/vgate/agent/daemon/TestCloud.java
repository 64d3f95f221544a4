package dev.vgate.agent.daemon;

import com.google.protobuf.ByteString;
import dev.vgate.agent.command.crypto.KeyAlgorithm;
import dev.vgate.agent.command.crypto.PemKeys;
import dev.vgate.agent.command.crypto.PrivateKey;
import dev.vgate.agent.command.mqtt.CommandClient;
import dev.vgate.agent.command.sign.CommandSigner;
import dev.vgate.protocol.command.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet cloud of the daemon tests: an operator key the gateway's command trust file names, and a
 * {@link CommandClient} that publishes signed commands to the vehicle's command topic and collects the answers.
 */
final class TestCloud implements AutoCloseable {
    static final String OPERATOR = "fleet-ops-1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PrivateKey operator = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
    private final AtomicLong sequence = new AtomicLong();
    private final String vehicle;
    private CommandClient client;

    TestCloud(String vehicle) { this.vehicle = vehicle; }

    /** Writes the gateway's command trust file (and the operator's public key) into {@code dir}; the operator may send {@code commands}. */
    Path writeTrust(Path dir, List<String> commands) throws Exception {
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
                root:
                  threshold: 1
                  keys:
                    - id: root-1
                      public_key: cmd-keys/root-1.pub.pem
                """.formatted(OPERATOR, OPERATOR, String.join(", ", commands)));
    }

    TestCloud connect(String brokerUrl) throws Exception {
        client = CommandClient.connect(brokerUrl, 20_000);
        return this;
    }

    /** A signed envelope of a fresh command (valid for a minute). */
    byte[] sign(String type, byte[] body) throws Exception {
        long now = System.currentTimeMillis();
        Command c = Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(vehicle)
                .setIssuedAtMs(now).setExpiresAtMs(now + 60_000).setSequence(sequence.incrementAndGet())
                .setType(type).setBody(ByteString.copyFrom(body)).build();
        return CommandSigner.sign(c, OPERATOR, operator).toByteArray();
    }

    /** Publishes (QoS 1, message expiry 60 s) to the vehicle's command topic. */
    CommandClient.Exchange send(String type, byte[] body) throws Exception {
        return client.send(vehicle, sign(type, body), 60);
    }

    @Override public void close() {
        if (client != null) client.close();
    }
}
