package dev.vgate.agent.cli;

import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.alert.AlertJournal;
import dev.vgate.rules.alert.AlertOutbox;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end on a kernel CAN interface (run by scripts/vcan-tests inside the VM): an over-temperature
 * BMS_Thermal frame injected with cansend makes the default rules put the cutoff frame on vcan0, seen by
 * candump, and publish a critical alert on the MQTT broker. The latency from the firing frame to the
 * cutoff frame is measured with the kernel's timestamps as candump reports them.
 */
@Tag("vcan")
class RulesVcanTest {
    private static final long WAIT_SECONDS = 90;
    /** BMS_Thermal: BMS_Temp 65.0 degC (raw 650), CoolantTemp 60 degC (raw 100). */
    private static final String HOT = "101#8A02000064000000";
    private static final String CUTOFF = "301#0100000100000000";

    @TempDir Path dir;

    @Test void cansendOverTemperatureGivesCutoffOnTheBusAndAlertOnTheBroker() throws Exception {
        assumeTrue(Files.exists(Path.of("/sys/class/net/vcan0")), "vcan0 is needed: run through scripts/vcan-tests");
        int port;
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
        Server broker = startBroker(port);
        BlockingQueue<String> alerts = new LinkedBlockingQueue<>();
        DbcDatabase db = DemoDbc.load();
        RuleSet rules = RuleSet.defaults(RuleDbc.of(db));
        try (PahoMqttLink subscriber = new PahoMqttLink(MqttSettings.of("tcp://127.0.0.1:" + port, "rules-test-sub")).start();
             PahoMqttLink publisher = new PahoMqttLink(MqttSettings.of("tcp://127.0.0.1:" + port, "rules-test-pub")).start()) {
            assertTrue(subscriber.awaitConnected(Duration.ofSeconds(WAIT_SECONDS)) && publisher.awaitConnected(Duration.ofSeconds(WAIT_SECONDS)), "broker connection");
            subscriber.subscribe("vgate/alerts", 1, (MqttLink.Incoming m) -> alerts.add(new String(m.payload(), StandardCharsets.UTF_8)));
            Thread.sleep(500); // let the SUBSCRIBE reach the broker before anything is published

            Process candump = new ProcessBuilder("candump", "-L", "vcan0").redirectErrorStream(true).start();
            List<String> dumped = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(candump.getInputStream(), StandardCharsets.US_ASCII))) {
                    for (String l; (l = r.readLine()) != null; ) dumped.add(l);
                } catch (java.io.IOException ignored) {
                    // candump was stopped
                }
            });
            reader.start();
            List<String> printed = new CopyOnWriteArrayList<>();
            try (AlertOutbox outbox = new AlertOutbox(AlertJournal.open(dir.resolve("alerts.journal")), publisher, "vgate/alerts",
                         Duration.ofSeconds(1), printed::add);
                 SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults());
                 LiveRules live = new LiveRules(ch, db, rules, outbox)) {
                live.start();
                Thread.sleep(1000); // candump and the channel bound
                run("cansend", "vcan0", HOT);
                Thread.sleep(300);  // the cutoff is debounced by 200 ms: the second hot frame fires it
                run("cansend", "vcan0", HOT);
                await("3 cutoff frames on vcan0 (candump)", () -> dumped.stream().filter(l -> l.endsWith(CUTOFF)).count() >= 3);
                String alert = alerts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(alert, "no alert on the broker; printed: " + printed);
                assertTrue(alert.contains("\"rule\":\"battery-overtemp-cutoff\"") && alert.contains("\"event\":\"fired\"")
                        && alert.contains("\"severity\":\"critical\"") && alert.contains("\"BMS_Temp\":65.0"), alert);
                assertTrue(live.faults().isActive("P0A7E"));
            } finally {
                candump.destroy();
                reader.join(5000);
            }
            // latency from the firing (second) hot frame to the first cutoff frame, on the kernel's clock
            List<String> hot = dumped.stream().filter(l -> l.endsWith(HOT)).toList();
            String firstCutoff = dumped.stream().filter(l -> l.endsWith(CUTOFF)).findFirst().orElseThrow();
            assertEquals(2, hot.size(), "hot frames seen by candump: " + dumped);
            double latencyUs = (seconds(firstCutoff) - seconds(hot.get(1))) * 1e6;
            assertTrue(latencyUs >= 0, "cutoff before the frame that fired it? " + dumped);
            System.out.printf("rules vcan: hot frame %s -> cutoff %s: %.0f us (kernel timestamps, emulated VM)%n", hot.get(1), firstCutoff, latencyUs);
        } finally {
            broker.stopServer();
        }
    }

    private Server startBroker(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dir.toString());
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        Server s = new Server();
        s.startServer(new MemoryConfig(p));
        return s;
    }

    /** "(1700000000.123456) vcan0 301#..." -> 1700000000.123456 */
    private static double seconds(String candumpLine) {
        return Double.parseDouble(candumpLine.substring(1, candumpLine.indexOf(')')));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) fail(String.join(" ", cmd) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    private static void await(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
