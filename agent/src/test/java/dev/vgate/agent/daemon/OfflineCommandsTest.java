package dev.vgate.agent.daemon;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.testing.Mosquitto;
import dev.vgate.protocol.command.CommandResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Commands sent while the car is offline: the cloud publishes a signed command while {@code vgate run} is stopped
 * (persistent session, within its expiry); after the start it must be executed exactly once — in every one of 20
 * restarts against a real mosquitto. Before the fix the session delivered the queued command before the command
 * service had subscribed, and the link acknowledged and dropped it.
 */
class OfflineCommandsTest {
    static final String VIN = "VGATE0OFFLINE0001";
    static final int RESTARTS = 20;
    static final Map<String, String> GET_STATE = Map.of("signals", "ChargerTemp");
    @TempDir Path dir;
    private Mosquitto broker;
    private TestCloud cloud;
    private VgateDaemon daemon;

    @AfterEach void stop() {
        if (daemon != null) daemon.stop();
        if (cloud != null) cloud.close();
        if (broker != null) broker.close();
    }

    @Test void aCommandSentWhileStoppedRunsExactlyOnceAfterEachOf20Restarts() throws Exception {
        broker = Mosquitto.start(dir.resolve("broker"));
        cloud = new TestCloud(VIN);
        cloud.writeTrust(dir, List.of("get-state"));
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Path file = VgateYaml.vehicle(VIN).mqtt(broker.url(), "session_expiry: 60s").with("""
                commands:
                  trust: cmd-trust.yaml
                """).writeTo(dir);
        VgateConfig config = ConfigLoader.load(file);
        cloud.connect(broker.url());

        List<String> ids = new ArrayList<>();
        daemon = start(config);
        String first = cloud.send("get-state", GET_STATE, new byte[0]); // online: the broker's session now holds the subscription
        ids.add(first);
        assertEquals(CommandResponse.Status.COMPLETED, cloud.awaitResult(first, Duration.ofSeconds(30)).getStatus());

        for (int i = 0; i < RESTARTS; i++) {
            daemon.stop();
            daemon = null;
            String id = cloud.send("get-state", GET_STATE, new byte[0]); // the broker queues it for the absent vehicle
            ids.add(id);
            daemon = start(config);
            CommandResponse r = cloud.awaitResult(id, Duration.ofSeconds(30));
            assertEquals(CommandResponse.Status.COMPLETED, r.getStatus(), "restart " + (i + 1) + ": " + r);
        }
        // the command part starts late (its database cannot be opened at first; the supervisor retries it): the
        // session has long delivered the queued command by then, and the link must have held it for the handler
        daemon.stop();
        daemon = null;
        Path db = config.stateDir().resolve(CommandStateDb.FILE_NAME), aside = dir.resolve("commands.db.aside");
        Files.move(db, aside); // its -wal/-shm were checkpointed and removed at the clean stop
        Path blocker = Files.createDirectories(db.resolve("not-a-database"));
        String late = cloud.send("get-state", GET_STATE, new byte[0]);
        ids.add(late);
        daemon = start(config);
        PahoMqttLink link = (PahoMqttLink) daemon.mqtt();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (link.heldMessages() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, link.heldMessages(), "the queued command arrived before its handler and is held");
        Files.delete(blocker);
        Files.move(aside, db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(CommandResponse.Status.COMPLETED, cloud.awaitResult(late, Duration.ofSeconds(30)).getStatus(), "executed once the part came up");

        // one command sent online closes the window: a redelivered earlier command would be answered before it
        String last = cloud.send("get-state", GET_STATE, new byte[0]);
        ids.add(last);
        cloud.awaitResult(last, Duration.ofSeconds(30));
        for (String id : ids) assertEquals(1, cloud.results(id).size(), "exactly one RESULT for " + id + ": " + cloud.results(id));
    }

    private static VgateDaemon start(VgateConfig config) throws Exception {
        VgateDaemon d = new VgateDaemon(config, Clock.systemUTC());
        d.start();
        return d;
    }
}
