package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** max/min/spread across signals, integral over a window, counters and their persistence; time is data (ms). */
class AggregateIntegralCounterTest {
    @Test void spreadAcrossSignalsIsUnknownUntilAllAreKnown() throws Exception {
        Harness h = Harness.rule("spread(BMS_Temp, CoolantTemp, 20 degC) > 15 degC", null);
        h.feed("BMS_Temp", 40, 0);
        assertFalse(h.active(), "CoolantTemp unknown: the spread is unknown");
        h.feed("CoolantTemp", 30, 10);
        assertTrue(h.active(), "all known now: 40 - 20 = 20 > 15");
    }

    @Test void spreadFiresOnImbalanceAndClears() throws Exception {
        Harness h = Harness.rule("spread(BMS_Temp, CoolantTemp) > 15 degC", null);
        h.feed("BMS_Temp", 40, 0).feed("CoolantTemp", 30, 10);
        assertFalse(h.active());
        h.feed("BMS_Temp", 46, 20);
        assertTrue(h.active());
        h.feed("CoolantTemp", 35, 30);
        assertEquals(List.of("fired:r@20", "cleared:r@30"), h.sink.events);
    }

    @Test void maxAndMinAcrossValuesVersusOverAWindow() throws Exception {
        Harness across = Harness.rule("max(BMS_Temp, CoolantTemp) > 50 and min(BMS_Temp, CoolantTemp) > 30", null);
        across.feed("BMS_Temp", 55, 0).feed("CoolantTemp", 25, 1);
        assertFalse(across.active());
        across.feed("CoolantTemp", 31, 2);
        assertTrue(across.active());
        // max(Sig, 10s) keeps its meaning: the largest value of the last 10 s
        Harness window = Harness.rule("max(BMS_Temp, 10s) > 50", null);
        window.feed("BMS_Temp", 60, 0).feed("BMS_Temp", 20, 9_000);
        assertTrue(window.active());
    }

    @Test void aggregateRefusesMixedUnitsAndSingleArgument() {
        RulesException mixed = assertThrows(RulesException.class, () -> Harness.rule("max(BMS_Temp, VehicleSpeed) > 5", null));
        assertTrue(mixed.getMessage().contains("max() mixes units: 'km/h' here, 'degC'"), mixed.getMessage());
        RulesException one = assertThrows(RulesException.class, () -> Harness.rule("spread(BMS_Temp) > 5", null));
        assertTrue(one.getMessage().contains("spread() takes two or more values"), one.getMessage());
    }

    @Test void integralIsSampleAndHoldOverTheWindow() throws Exception {
        // 100 kW for 5 s then 50 kW: over the last 10 s at t = 10 s that is 500 + 250 = 750 kW·s
        Harness h = Harness.rule("integral(ChargePower, 10s) >= 750", null);
        h.feed("ChargePower", 100, 0).feed("ChargePower", 50, 5_000);
        assertFalse(h.active(), "history shorter than the window: unknown");
        h.feed("ChargePower", 50, 9_999);
        assertFalse(h.active());
        h.feed("ChargePower", 50, 10_000);
        assertTrue(h.active());
        // at t = 12 s the window [2 s, 12 s] holds 3 s of 100 and 7 s of 50: 650
        h.feed("ChargePower", 50, 12_000);
        assertFalse(h.active());
    }

    @Test void integralMatchesABruteForceSum() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        IntegralWindow w = new IntegralWindow(0, 3_000_000_000L, 1024);
        long[] ts = new long[600];
        double[] vs = new double[600];
        long t = 0;
        for (int k = 0; k < ts.length; k++) {
            t += 1 + rnd.nextInt(40) * 1_000_000L;
            ts[k] = t;
            vs[k] = rnd.nextDouble() * 100;
            w.add(t, vs[k]);
            double got = w.integral(t);
            long edge = t - 3_000_000_000L;
            if (ts[0] > edge) {
                assertTrue(Double.isNaN(got));
                continue;
            }
            double want = 0;
            for (int j = 0; j <= k; j++) {
                long from = Math.max(ts[j], edge), to = j == k ? t : ts[j + 1];
                if (to > from) want += vs[j] * (to - from) / 1e9;
            }
            assertEquals(want, got, 1e-6 * Math.max(1, want), "at sample " + k);
        }
    }

    private static final String COUNTERS = """
            counters:
              - name: charge_sessions
                count: ChargeState == CHARGING
              - name: soc_charged
                sum_rises: SoC
                while: ChargeState == CHARGING
            rules:
              - name: cycles
                when: counter(soc_charged) / 80 >= 1
                actions: [ { alert: { severity: info } } ]
              - name: sessions
                when: counter(charge_sessions) >= 2
                actions: [ { alert: { severity: info } } ]
            """;

    @Test void countersCountSessionsAndSumSocRises() throws Exception {
        Harness h = new Harness(COUNTERS);
        // session 1: 20 % -> 70 % while charging; the drive afterwards lowers SoC (no rise counted)
        h.feed("ChargeState", 2, 0);
        for (int k = 0; k <= 50; k++) h.feed("SoC", 20 + k, 1_000 + k * 1_000L);
        h.feed("ChargeState", 3, 60_000);
        h.feed("SoC", 69, 61_000).feed("SoC", 40, 62_000).feed("SoC", 45, 63_000); // regen while not charging: not counted
        Map<String, Counter.State> st = h.engine.counterStates();
        assertEquals(1.0, st.get("charge_sessions").value());
        assertEquals(50.0, st.get("soc_charged").value(), 1e-9);
        assertFalse(h.engine.isActive("cycles"));
        // session 2: +30 % -> 80 % summed: one equivalent cycle, and two sessions
        h.feed("ChargeState", 2, 70_000);
        for (int k = 1; k <= 30; k++) h.feed("SoC", 45 + k, 70_000 + k * 1_000L);
        assertTrue(h.engine.isActive("cycles"));
        assertTrue(h.engine.isActive("sessions"));
        assertEquals(List.of("fired:sessions@70000", "fired:cycles@100000"), h.sink.events);
    }

    @Test void countersPersistAcrossARestartIncludingTheLatch() throws Exception {
        Harness before = new Harness(COUNTERS);
        before.feed("ChargeState", 2, 0).feed("SoC", 10, 0).feed("SoC", 50, 1_000);
        Map<String, Counter.State> saved = before.engine.counterStates();
        // the restart happens mid-session: the new engine must not count the same session again
        Harness after = new Harness(COUNTERS);
        assertEquals(2, after.engine.restoreCounters(saved));
        after.feed("ChargeState", 2, 5_000).feed("SoC", 50, 5_000).feed("SoC", 91, 6_000);
        assertEquals(1.0, after.engine.counterStates().get("charge_sessions").value());
        assertEquals(81.0, after.engine.counterStates().get("soc_charged").value(), 1e-9);
        assertTrue(after.engine.isActive("cycles"));
    }

    @Test void counterErrorsNameTheField() {
        RulesException unknown = assertThrows(RulesException.class, () -> Harness.rule("counter(nope) > 1", null));
        assertTrue(unknown.getMessage().contains("unknown counter 'nope' (the file declares no counters)"), unknown.getMessage());
        RulesException both = assertThrows(RulesException.class, () -> new Harness("counters:\n  - { name: x, count: SoC > 1, sum_rises: SoC }\n"
                + "rules:\n  - { name: r, when: counter(x) > 1, actions: [ { alert: { severity: info } } ] }\n"));
        assertTrue(both.getMessage().contains("counters.x") && both.getMessage().contains("exactly one of 'count'"), both.getMessage());
    }

    @Test void thermalRunawayCombinesLevelsAndRates() throws Exception {
        Harness h = Harness.rule("max(BMS_Temp, CoolantTemp) > 55 degC and rate(BMS_Temp, 10s) > 2 degC/s * 10 and drop(SoC, 5s) >= 0", null);
        for (long t = 0; t <= 10_000; t += 100) h.feed("SoC", 50, t).feed("CoolantTemp", 30, t).feed("BMS_Temp", 50, t);
        assertFalse(h.active(), "hot-ish but flat");
        for (long t = 10_100; t <= 20_000; t += 100) h.feed("SoC", 50, t).feed("BMS_Temp", 50 + 3.0 * (t - 10_000) / 1000, t);
        assertTrue(h.active(), "3 degC/s over 10 s above 55 degC");
    }
}
