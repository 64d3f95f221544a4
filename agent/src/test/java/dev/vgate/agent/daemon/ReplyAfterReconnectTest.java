package dev.vgate.agent.daemon;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.testing.Mosquitto;
import dev.vgate.protocol.command.CommandResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression: a command whose RESULT is made while the MQTT link is down. {@code vgate run} against a real mosquitto
 * through a line the test cuts; the cloud sends read-dtcs (the ECU never answers, so the command takes its P2 time),
 * the line is cut while it runs, and mended after the outcome is decided. Before the fix the RESULT was only logged
 * ("not delivered") and the cloud never learnt the outcome; now it arrives after the reconnect, exactly once.
 */
class ReplyAfterReconnectTest {
    static final String VIN = "VGATE0REPLY000001";
    @TempDir Path dir;
    private Mosquitto broker;
    private CuttableProxy line;
    private TestCloud cloud;
    private VgateDaemon daemon;

    @AfterEach void stop() {
        if (daemon != null) daemon.stop();
        if (cloud != null) cloud.close();
        if (line != null) line.close();
        if (broker != null) broker.close();
    }

    @Test void aResultMadeWhileTheLinkIsDownReachesTheCloudOnceAfterTheReconnect() throws Exception {
        broker = Mosquitto.start(dir.resolve("broker"));
        line = new CuttableProxy(Integer.parseInt(broker.url().substring(broker.url().lastIndexOf(':') + 1)));
        cloud = new TestCloud(VIN);
        cloud.writeTrust(dir, List.of("read-dtcs"));
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Path file = VgateYaml.vehicle(VIN).mqtt(line.url(), "reconnect_min: 100ms", "reconnect_max: 500ms").with("""
                commands:
                  trust: cmd-trust.yaml
                diag:
                  bus: powertrain
                  p2: 2s
                  ecus:
                    - {name: engine, request_id: 0x7E0, response_id: 0x7E8}
                """).writeTo(dir);
        daemon = new VgateDaemon(ConfigLoader.load(file), Clock.systemUTC());
        daemon.start();
        await("the daemon connected", () -> daemon.mqtt().isConnected());
        await("commands running", () -> "running".equals(commands().get("state")));
        cloud.connect(broker.url());

        String id = cloud.send("read-dtcs", Map.of("ecus", "engine"), new byte[0]);
        cloud.await(id, CommandResponse.Stage.ACK, Duration.ofSeconds(20));
        Thread.sleep(300); // the daemon acknowledges the command (PUBACK) right after its ACK: no redelivery after the cut
        line.cut();
        await("the daemon saw the link go", () -> !daemon.mqtt().isConnected());
        await("the outcome decided", () -> outcomes() == 1);
        Thread.sleep(500);
        assertEquals(List.of(), cloud.resultsAfter(id, Duration.ofMillis(100)), "nothing can reach the cloud while the line is cut");

        line.mend();
        CommandResponse result = cloud.awaitResult(id, Duration.ofSeconds(30));
        assertEquals(CommandResponse.Status.FAILED, result.getStatus(), "the ECU never answered: " + result);
        List<CommandResponse> all = cloud.resultsAfter(id, Duration.ofSeconds(2));
        assertEquals(1, all.size(), "exactly one RESULT: " + all);
        await("the outbox empty", () -> ((Number) commands().get("replies_waiting")).intValue() == 0);
    }

    private long outcomes() {
        Map<String, Object> c = commands();
        return ((Number) c.getOrDefault("completed", 0)).longValue() + ((Number) c.getOrDefault("failed", 0)).longValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> commands() {
        Object s = daemon.supervisor().status().get("commands");
        return s == null ? Map.of() : (Map<String, Object>) s;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }
}
