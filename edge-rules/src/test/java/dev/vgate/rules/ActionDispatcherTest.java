package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionDispatcherTest {
    private static final String CUTOFF = "rules:\n"
            + "  - name: cutoff\n"
            + "    description: battery over-temperature\n"
            + "    when: BMS_Temp > 60\n"
            + "    clear: BMS_Temp < 55\n"
            + "    actions:\n"
            + "      - alert: { severity: critical }\n"
            + "      - fault: { code: P0A7E, description: pack over-temperature }\n"
            + "      - collect: { policy: full-rate, pre: 10s, post: 20s }\n"
            + "      - can: { message: BMS_Command, signals: { ContactorRequest: OPEN, ChargeCurrentLimit: 0, CutoffReason: 1 }, repeat: 3, period: 10ms }\n";

    final List<String> log = new ArrayList<>();
    final List<Runnable> scheduled = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();
    final List<RuleAlert> alerts = new ArrayList<>();
    final FaultCodes faults = new FaultCodes();

    ActionDispatcher dispatcher() {
        return new ActionDispatcher(
                f -> log.add("can " + CanFrameFormat.of(f)),
                (task, delay) -> { scheduled.add(task); delays.add(delay); },
                a -> { alerts.add(a); log.add("alert " + a.event()); },
                faults,
                (rule, policy, at, pre, post) -> log.add("collect " + policy + " " + pre / 1_000_000_000 + "s/" + post / 1_000_000_000 + "s"));
    }

    /** cansend syntax of a frame plus its interface and time, to check what the sender saw. */
    static final class CanFrameFormat {
        static String of(CanFrame f) { return f.toString(); }
    }

    @Test void firstFrameFirstThenFaultCollectionAlertThenScheduledRepeats() throws Exception {
        Harness h = new Harness(CUTOFF);
        ActionDispatcher d = dispatcher();
        Sample s = new Sample().iface("can1");
        h.engine.evaluate(s.set(h.dbc.signal("BMS_Temp").index(), 61.5, 1_700_000_000_200_000_000L), d);
        assertEquals(List.of("can (1700000000.200000) can1 301#0100000100000000", "collect full-rate 10s/20s", "alert FIRED"), log);
        assertEquals(List.of(10_000_000L, 20_000_000L), delays);
        scheduled.forEach(Runnable::run);
        assertEquals(5, log.size());
        assertEquals(log.get(0), log.get(3), "repeats carry the same payload");
        assertTrue(faults.isActive("P0A7E"));
        RuleAlert a = alerts.get(0);
        assertEquals("cutoff", a.rule());
        assertEquals(Action.Severity.CRITICAL, a.severity());
        assertEquals("battery over-temperature", a.message());
        assertEquals(Map.of("BMS_Temp", 61.5), a.values());
        assertEquals("{\"t\":1700000000.2,\"rule\":\"cutoff\",\"event\":\"fired\",\"severity\":\"critical\","
                + "\"message\":\"battery over-temperature\",\"values\":{\"BMS_Temp\":61.5},\"at\":{\"BMS_Temp\":1700000000.2}}", a.toJson());

        h.engine.evaluate(s.set(h.dbc.signal("BMS_Temp").index(), 54, 1_700_000_060_000_000_000L), d);
        assertFalse(faults.isActive("P0A7E"));
        assertEquals(RuleAlert.Event.CLEARED, alerts.get(1).event());
        assertEquals(2, faults.history().size());
    }

    @Test void alertsCarryEvidenceValuesAndTimesAtFireAndAtClear() throws Exception {
        Harness h = Harness.rule("BMS_Temp > 60 and VehicleSpeed > 10 and SoC < 90", "BMS_Temp < 55");
        ActionDispatcher d = dispatcher();
        Sample s = new Sample().iface("can0");
        long t0 = 1_700_000_000_000_000_000L;
        h.engine.evaluate(s.set(h.dbc.signal("VehicleSpeed").index(), 50, t0), d);
        h.engine.evaluate(s.set(h.dbc.signal("BMS_Temp").index(), 61, t0 + 300_000_000L), d);
        assertTrue(alerts.isEmpty(), "SoC unknown: no alert");
        h.engine.evaluate(s.set(h.dbc.signal("SoC").index(), 80, t0 + 500_000_000L), d);
        RuleAlert fired = alerts.get(0);
        assertEquals(Map.of("BMS_Temp", 61.0, "VehicleSpeed", 50.0, "SoC", 80.0), fired.values());
        assertEquals(Map.of("BMS_Temp", t0 + 300_000_000L, "VehicleSpeed", t0, "SoC", t0 + 500_000_000L), fired.valueTimes());
        h.engine.evaluate(s.set(h.dbc.signal("BMS_Temp").index(), 54, t0 + 2_000_000_000L), d);
        RuleAlert cleared = alerts.get(1);
        assertEquals(RuleAlert.Event.CLEARED, cleared.event());
        assertEquals(54.0, cleared.values().get("BMS_Temp"));
        assertEquals(t0 + 2_000_000_000L, cleared.valueTimes().get("BMS_Temp"));
        assertEquals(t0, cleared.valueTimes().get("VehicleSpeed"), "the time of the value, not of the event");
        assertTrue(cleared.toJson().contains("\"at\":{\"SoC\":1700000000.5,\"BMS_Temp\":1700000002,\"VehicleSpeed\":1700000000}")
                || cleared.toJson().contains("\"VehicleSpeed\":1700000000"), cleared.toJson());
    }

    @Test void aFailingSenderDoesNotStopTheOtherActions() throws Exception {
        Harness h = new Harness(CUTOFF);
        ActionDispatcher d = new ActionDispatcher(f -> { throw new dev.vgate.canbus.CanException("bus off"); },
                (task, delay) -> task.run(), alerts::add, faults, CollectionControl.NONE);
        h.engine.evaluate(new Sample().set(h.dbc.signal("BMS_Temp").index(), 70, 0), d);
        assertEquals(3, d.sendFailures());
        assertEquals(1, alerts.size());
        assertTrue(faults.isActive("P0A7E"));
    }

    @Test void faultHeldByTwoRulesClearsWithTheLast() {
        FaultCodes f = new FaultCodes();
        f.raise("P1", "", "a", 1);
        f.raise("P1", "", "b", 2);
        f.clear("P1", "a", 3);
        assertTrue(f.isActive("P1"));
        assertEquals(1, f.active().get(0).sinceNanos());
        f.clear("P1", "b", 4);
        assertFalse(f.isActive("P1"));
        assertTrue(f.active().isEmpty());
    }

    @Test void rateLimitSuppressesFiringAndItsClear() throws Exception {
        Harness h = new Harness("rules:\n  - name: r\n    when: LongAccel < -4.5\n    rate_limit: { max: 2, per: 1min }\n"
                + "    actions:\n      - alert: { severity: warning }\n");
        long t = 0;
        for (int k = 0; k < 5; k++) {
            h.feed("LongAccel", -6, t);
            h.feed("LongAccel", 0, t + 100);
            t += 10_000;
        }
        assertEquals(List.of("fired:r@0", "cleared:r@100", "fired:r@10000", "cleared:r@10100"), h.sink.events);
        h.feed("LongAccel", -6, 60_000);
        assertEquals("fired:r@60000", h.sink.events.get(4));
        assertEquals(3, h.engine.counters().get(0).suppressed());
    }
}
