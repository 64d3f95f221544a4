package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threshold rules: hysteresis (clear condition), debounce ("for"), and a reference model checked on random data. */
class ThresholdRuleTest {
    @Test void firesOnceAndClearsOnlyBelowTheClearThreshold() throws Exception {
        Harness h = Harness.rule("BMS_Temp > 60", "BMS_Temp < 55");
        h.feed("BMS_Temp", 59.9, 0).feed("BMS_Temp", 60.1, 100).feed("BMS_Temp", 62, 200);
        assertEquals(List.of("fired:r@100"), h.sink.events);
        // between the thresholds: stays active (hysteresis), no repeated firing
        h.feed("BMS_Temp", 58, 300).feed("BMS_Temp", 61, 400).feed("BMS_Temp", 55, 500);
        assertTrue(h.active());
        h.feed("BMS_Temp", 54.9, 600);
        assertEquals(List.of("fired:r@100", "cleared:r@600"), h.sink.events);
        h.feed("BMS_Temp", 60.5, 700);
        assertEquals("fired:r@700", h.sink.events.get(2));
    }

    @Test void withoutClearItClearsWhenTheConditionEnds() throws Exception {
        Harness h = Harness.rule("BMS_Temp > 60", null);
        h.feed("BMS_Temp", 61, 0).feed("BMS_Temp", 60, 100);
        assertEquals(List.of("fired:r@0", "cleared:r@100"), h.sink.events);
    }

    @Test void debounceNeedsTheConditionTheWholeTime() throws Exception {
        Harness h = Harness.rule("BMS_Temp > 60 for 200ms", "BMS_Temp < 55");
        h.feed("BMS_Temp", 61, 0).feed("BMS_Temp", 61, 100).feed("BMS_Temp", 59, 150).feed("BMS_Temp", 61, 200).feed("BMS_Temp", 61, 300);
        assertTrue(h.sink.events.isEmpty(), "a dip below restarts the debounce: " + h.sink.events);
        h.feed("BMS_Temp", 61, 399);
        assertTrue(h.sink.events.isEmpty());
        h.feed("BMS_Temp", 61, 400);
        assertEquals(List.of("fired:r@400"), h.sink.events);
    }

    @Test void debounceEndsOnAnySampleOrTickAfterTheDeadline() throws Exception {
        Harness h = Harness.rule("BMS_Temp > 60 for 200ms", null);
        h.feed("BMS_Temp", 61, 0);
        h.feed("VehicleSpeed", 10, 150);
        assertTrue(h.sink.events.isEmpty());
        h.feed("VehicleSpeed", 10, 201); // another signal's sample carries the clock past the deadline
        assertEquals(List.of("fired:r@201"), h.sink.events);

        Harness t = Harness.rule("BMS_Temp > 60 for 200ms", null);
        t.feed("BMS_Temp", 61, 0).tick(199);
        assertTrue(t.sink.events.isEmpty());
        t.tick(200);
        assertEquals(List.of("fired:r@200"), t.sink.events);
    }

    @Test void clearDebounce() throws Exception {
        Harness h = Harness.rule("BMS_Temp > 60", "BMS_Temp < 55 for 1s");
        h.feed("BMS_Temp", 61, 0).feed("BMS_Temp", 50, 100).feed("BMS_Temp", 56, 600).feed("BMS_Temp", 50, 700).feed("BMS_Temp", 50, 1600);
        assertEquals(List.of("fired:r@0"), h.sink.events);
        h.feed("BMS_Temp", 50, 1700);
        assertEquals(List.of("fired:r@0", "cleared:r@1700"), h.sink.events);
    }

    @Test void unknownValueNeverFiresButNotOfUnknownIsTrue() throws Exception {
        Harness h = Harness.rule("BMS_Temp != 20 or CoolantTemp > -100 or CoolantTemp != 0", null);
        h.feed("BMS_Temp", 20, 0);
        assertEquals(List.of(), h.sink.events, "comparisons with a signal never seen are false, != included");
        Harness n = Harness.rule("BMS_Temp > 0 and not CoolantTemp > 100", null);
        n.feed("BMS_Temp", 10, 0);
        assertEquals(List.of("fired:r@0"), n.sink.events, "'not' of an unknown comparison is true (documented)");
    }

    /**
     * Property: on random temperature walks with random sample spacing, the engine's events equal a
     * straightforward reference model of "fire when > hi for D continuously, clear when < lo".
     */
    @Test void matchesReferenceModelOnRandomWalks() throws Exception {
        Random rnd = new Random(0x5EED);
        for (int run = 0; run < 200; run++) {
            double hi = 50 + rnd.nextInt(20), lo = hi - 1 - rnd.nextInt(8);
            int debounceMs = rnd.nextBoolean() ? 0 : 50 * (1 + rnd.nextInt(6));
            Harness h = Harness.rule("BMS_Temp > " + hi + (debounceMs > 0 ? " for " + debounceMs + "ms" : ""), "BMS_Temp < " + lo);
            List<String> expected = new ArrayList<>();
            boolean active = false;
            long pendingSince = -1;
            double temp = hi - 3;
            long t = 0;
            for (int k = 0; k < 400; k++) {
                t += 1 + rnd.nextInt(120);
                temp += rnd.nextGaussian() * 1.5;
                double v = h.dbc.quantize("BMS_Temp", temp);
                h.feed("BMS_Temp", v, t);
                if (!active) {
                    if (v > hi) {
                        if (pendingSince < 0) pendingSince = t;
                        if (t - pendingSince >= debounceMs) { active = true; expected.add("fired:r@" + t); }
                    } else {
                        pendingSince = -1;
                    }
                } else if (v < lo) {
                    active = false;
                    pendingSince = -1;
                    expected.add("cleared:r@" + t);
                }
            }
            assertEquals(expected, h.sink.events, "run " + run + " hi=" + hi + " lo=" + lo + " debounce=" + debounceMs);
            assertEquals(active, h.active());
        }
    }

    @Test void stateConditionsAndLabels() throws Exception {
        Harness h = Harness.rule("ChargeState == CHARGING and ChargePower > 50 kW", null);
        h.feed("ChargePower", 60, 0);
        assertFalse(h.active());
        h.feed("ChargeState", 2, 10);
        assertTrue(h.active());
        h.feed("ChargeState", 3, 20);
        assertFalse(h.active());
    }
}
