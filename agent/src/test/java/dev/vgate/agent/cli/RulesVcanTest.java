package dev.vgate.agent.cli;

import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MoquetteBroker;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.TickingEvaluator;
import dev.vgate.rules.alert.AlertJournal;
import dev.vgate.rules.alert.AlertOutbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end on a kernel CAN interface (run by scripts/vcan-tests inside the VM): over-temperature
 * BMS_Thermal frames injected with cansend make the default rules put the cutoff frame on vcan0 (3 times,
 * 10 ms apart) once the 200 ms debounce is over, seen by candump, raise the fault and publish a critical
 * alert on the MQTT broker; a cool frame clears it (cleared alert). Then, without the debounce, the latency
 * from each injected frame to the first cutoff frame is measured with the kernel's timestamps as candump
 * reports them (printed; functional only in the emulated VM, see docs/benchmarks.md).
 */
@Tag("vcan")
class RulesVcanTest {
    private static final long WAIT_SECONDS = 90;
    /** BMS_Thermal: BMS_Temp 65.0 degC (raw 650), CoolantTemp 60 degC (raw 100). */
    private static final String HOT = "101#8A02000064000000";
    /** BMS_Thermal: BMS_Temp 53.2 degC (raw 532), below the rule's 55 degC clear level. */
    private static final String COOL = "101#1402000064000000";
    private static final String CUTOFF = "301#0100000100000000";
    private static final int DEBOUNCED_CYCLES = 2;
    /** Fire/clear cycles without debounce: the first runs cold code (class loading, interpreter), the others show the path. */
    private static final int LATENCY_CYCLES = 8;

    @TempDir Path dir;

    @Test void cansendOverTemperatureGivesCutoffOnTheBusAndAlertOnTheBroker() throws Exception {
        assumeTrue(Files.exists(Path.of("/sys/class/net/vcan0")), "vcan0 is needed: run through scripts/vcan-tests");
        MoquetteBroker broker = MoquetteBroker.start(dir);
        BlockingQueue<String> alerts = new LinkedBlockingQueue<>();
        DbcDatabase db = DemoDbc.load();
        try (PahoMqttLink subscriber = new PahoMqttLink(MqttSettings.of(broker.url(), "rules-test-sub")).start();
             PahoMqttLink publisher = new PahoMqttLink(MqttSettings.of(broker.url(), "rules-test-pub")).start()) {
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
                         Duration.ofSeconds(1), printed::add)) {
                // 1. the default rules as shipped: one hot frame, the cutoff 200 ms later (debounce), alert, fault, clear
                try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults());
                     LiveRules live = new LiveRules(ch, db, RuleSet.defaults(RuleDbc.of(db)), outbox, TickingEvaluator.epochClock())) {
                    live.start();
                    Thread.sleep(1000); // candump and the channel bound
                    for (int k = 1; k <= DEBOUNCED_CYCLES; k++) {
                        int cycle = k;
                        run("cansend", "vcan0", HOT);
                        await("cycle " + k + ": 3 cutoff frames on vcan0 (candump)", () -> count(dumped, CUTOFF) == 3L * cycle);
                        assertTrue(live.faults().isActive("P0A7E"), "fault raised");
                        String fired = nextAlertOf(alerts, "battery-overtemp-cutoff");
                        assertTrue(fired.contains("\"event\":\"fired\"") && fired.contains("\"severity\":\"critical\"")
                                && fired.contains("\"BMS_Temp\":65.0"), fired);
                        run("cansend", "vcan0", COOL);
                        String cleared = nextAlertOf(alerts, "battery-overtemp-cutoff");
                        assertTrue(cleared.contains("\"event\":\"cleared\"") && cleared.contains("\"BMS_Temp\":53.2"), cleared);
                        assertFalse(live.faults().isActive("P0A7E"), "fault cleared");
                    }
                    assertEquals(0, live.sendFailures());
                }
                List<Double> debouncedUs = latenciesUs(dumped);
                assertEquals(DEBOUNCED_CYCLES, debouncedUs.size(), "one first cutoff per hot frame: " + dumped);
                for (double us : debouncedUs) assertTrue(us >= 200_000, "cutoff before the 200 ms debounce ended: " + us + " us; " + dumped);

                // 2. the latency of the path itself: the same rules without the debounce (a deliberate delay), so the
                //    injected frame is the one that fires
                int before = dumped.size();
                RuleSet immediate = RuleSet.parse(RuleSet.defaultRulesText().replace("BMS_Temp > 60 degC for 200ms", "BMS_Temp > 60 degC"),
                        "default rules without the cutoff debounce", RuleDbc.of(db));
                try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults());
                     LiveRules live = new LiveRules(ch, db, immediate, outbox, TickingEvaluator.epochClock())) {
                    live.start();
                    Thread.sleep(500);
                    for (int k = 1; k <= LATENCY_CYCLES; k++) {
                        long cycle = DEBOUNCED_CYCLES + k;
                        run("cansend", "vcan0", HOT);
                        await("latency cycle " + k + ": 3 cutoff frames", () -> count(dumped, CUTOFF) == 3L * cycle);
                        run("cansend", "vcan0", COOL);
                        await("latency cycle " + k + ": cleared", () -> !live.faults().isActive("P0A7E"));
                    }
                    assertEquals(0, live.sendFailures());
                }
                await("every alert acknowledged by the broker", () -> outbox.pending() == 0);
                assertEquals(2L * (DEBOUNCED_CYCLES + LATENCY_CYCLES), outbox.published(), "fired + cleared alerts: " + printed);

                List<Double> us = latenciesUs(dumped.subList(before, dumped.size()));
                assertEquals(LATENCY_CYCLES, us.size(), "one first cutoff per hot frame: " + dumped);
                for (double u : us) assertTrue(u >= 0, "cutoff before the frame that fired it? " + dumped);
                List<Double> warm = new ArrayList<>(us.subList(1, us.size()));
                java.util.Collections.sort(warm);
                System.out.printf("rules vcan: debounced cutoff %s us after the hot frame (200 ms debounce)%n",
                        debouncedUs.stream().map(d -> String.format("%.0f", d)).toList());
                System.out.printf("rules vcan: injected hot frame -> cutoff frame, kernel timestamps, emulated VM: first %.0f us, "
                        + "then %s us (min %.0f, median %.0f, max %.0f)%n", us.get(0),
                        us.subList(1, us.size()).stream().map(d -> String.format("%.0f", d)).toList(),
                        warm.get(0), warm.get(warm.size() / 2), warm.get(warm.size() - 1));
            } finally {
                candump.destroy();
                reader.join(5000);
            }
        } finally {
            broker.close();
        }
    }

    /** From each hot frame to the first cutoff frame after it, on the kernel's clock (candump's timestamps). */
    private static List<Double> latenciesUs(List<String> candump) {
        List<Double> out = new ArrayList<>();
        String lastHot = null;
        for (String l : candump) {
            if (l.endsWith(HOT)) {
                lastHot = l;
            } else if (l.endsWith(CUTOFF) && lastHot != null) {
                out.add((seconds(l) - seconds(lastHot)) * 1e6);
                lastHot = null;
            }
        }
        return out;
    }

    private static long count(List<String> candump, String frame) {
        return candump.stream().filter(l -> l.endsWith(frame)).count();
    }

    /** The next alert of {@code rule} on the broker (other rules, e.g. the stale one, may alert in between). */
    private static String nextAlertOf(BlockingQueue<String> alerts, String rule) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < end) {
            String a = alerts.poll(1, TimeUnit.SECONDS);
            if (a != null && a.contains("\"rule\":\"" + rule + "\"")) return a;
        }
        return fail("no alert of " + rule + " on the broker");
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
