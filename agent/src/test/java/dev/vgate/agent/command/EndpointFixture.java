package dev.vgate.agent.command;

import dev.vgate.command.TestKeys;

import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.protocol.command.CommandResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vgate.command.TestKeys.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@link CommandEndpoint#create} reads, as the daemon would find it on disk (shared by
 * {@link CommandEndpointTest} on the virtual bus and {@link CommandVcanTest} on vcan0): the public keys of
 * {@link TestKeys}, a trust file (owner key: lock, unlock, horn, lights, climate, get-state; OTA key:
 * start-ota; old-app-0 revoked; root threshold 2 of 3) and a CAN mapping for the demo DBC (unlock:
 * Body_Command DoorLockRequest=UNLOCK twice; lock: DoorLockRequest=LOCK once).
 */
final class EndpointFixture {
    private EndpointFixture() {}

    /** Writes keys/, trust.yaml and can-commands.yaml under {@code dir}; the commands section naming them. */
    static CommandsConfig writeConfig(Path dir) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String id : List.of(OWNER, OTA, "root-1", "root-2", "root-3")) {
            PemKeys.writePublic(keys.resolve(id + ".pub.pem"), key(id).publicKey());
        }
        Path trust = dir.resolve("trust.yaml");
        Files.writeString(trust, "version: 1\nkeys:\n"
                + "  - id: owner-app-1\n    public_key: keys/owner-app-1.pub.pem\n    commands: [lock, unlock, horn, lights, climate, get-state]\n"
                + "  - id: ota-1\n    public_key: keys/ota-1.pub.pem\n    commands: [start-ota]\n"
                + "revoked: [old-app-0]\n"
                + "root:\n  threshold: 2\n  keys:\n"
                + "    - {id: root-1, public_key: keys/root-1.pub.pem}\n"
                + "    - {id: root-2, public_key: keys/root-2.pub.pem}\n"
                + "    - {id: root-3, public_key: keys/root-3.pub.pem}\n");
        Path mapping = dir.resolve("can-commands.yaml");
        Files.writeString(mapping, "dbc: classpath:dev/vgate/dbc/demo/vgate-demo.dbc\ncommands:\n"
                + "  unlock:\n    message: Body_Command\n    signals: {DoorLockRequest: UNLOCK}\n    repeat: 2\n"
                + "  lock:\n    message: Body_Command\n    signals: {DoorLockRequest: LOCK}\n");
        return new CommandsConfig(trust, Duration.ofSeconds(30), 16 * 1024, mapping);
    }

    /** Sends {@code envelope} to {@link TestKeys#VIN}, checks the ACK and returns the RESULT (each awaited up to {@code waitSeconds}). */
    static CommandResponse roundTrip(CommandClient cloud, byte[] envelope, long waitSeconds) throws Exception {
        CommandClient.Exchange ex = cloud.send(VIN, envelope, 30);
        assertEquals(CommandResponse.Stage.ACK, ex.ack.get(waitSeconds, TimeUnit.SECONDS).getStage());
        return ex.result.get(waitSeconds, TimeUnit.SECONDS);
    }
}
