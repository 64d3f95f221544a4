package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** drop/rise/rate/delta/max/min over time windows, their edges, and a brute-force reference on random data. */
class WindowFunctionTest {
    @Test void dropOverHalfWithinTenSeconds() throws Exception {
        Harness h = Harness.rule("drop(ChargePower, 10s) > 50%", null);
        h.feed("ChargePower", 100, 0).feed("ChargePower", 80, 5_000).feed("ChargePower", 50, 9_000);
        assertFalse(h.active(), "exactly 50 % is not more than 50 %");
        h.feed("ChargePower", 49, 9_500);
        assertEquals(List.of("fired:r@9500"), h.sink.events);
    }

    @Test void windowEdgeIsInclusive() throws Exception {
        // the 100 kW sample at t=0 is still in the window at t=10s exactly, and out of it 1 ms later
        Harness h = Harness.rule("drop(ChargePower, 10s) > 50%", null);
        h.feed("ChargePower", 100, 0).feed("ChargePower", 60, 1).feed("ChargePower", 40, 10_000);
        assertTrue(h.active());
        Harness late = Harness.rule("drop(ChargePower, 10s) > 50%", null);
        late.feed("ChargePower", 100, 0).feed("ChargePower", 60, 1).feed("ChargePower", 40, 10_001);
        assertFalse(late.active(), "the max of the window is 60 now: a drop of 33 %");
    }

    @Test void slowDeclineIsNoDrop() throws Exception {
        Harness h = Harness.rule("drop(ChargePower, 10s) > 50%", null);
        double p = 100;
        for (long t = 0; t <= 60_000; t += 100) {
            h.feed("ChargePower", p, t);
            p *= 0.995; // -5 % per second: about 40 % per 10 s
        }
        assertFalse(h.active());
        assertEquals(List.of(), h.sink.events);
    }

    @Test void rateIsChangePerWindowAndUndefinedUntilTheWindowIsCovered() throws Exception {
        Harness h = Harness.rule("rate(BMS_Temp, 1min) > 2 degC/min", "rate(BMS_Temp, 1min) < 1");
        // +3 degC/min ramp sampled every 100 ms
        for (long t = 0; t < 60_000; t += 100) h.feed("BMS_Temp", 30 + 3.0 * t / 60_000, t);
        assertFalse(h.active(), "less than a minute of history: rate unknown");
        h.feed("BMS_Temp", 33, 60_000);
        assertEquals(List.of("fired:r@60000"), h.sink.events);
        // flat from here: the slope over the last minute decays below 1 degC/min after ~40 s
        for (long t = 60_100; t <= 130_000; t += 100) h.feed("BMS_Temp", 33, t);
        assertEquals(2, h.sink.events.size());
        assertTrue(h.sink.events.get(1).startsWith("cleared:r@"));
    }

    @Test void ratioOfDeltasForChargeEfficiency() throws Exception {
        Harness h = Harness.rule("ChargeState == CHARGING and delta(ChargeEnergy, 5min) > 2 and delta(SoC, 5min) / delta(ChargeEnergy, 5min) < 1.2", null);
        h.feed("ChargeState", 2, 0);
        // 1.5 % per kWh: efficient
        for (long t = 0; t <= 600_000; t += 1000) {
            h.feed("ChargeEnergy", t / 60_000.0, t);
            h.feed("SoC", 20 + 1.5 * t / 60_000.0, t);
        }
        assertFalse(h.active());
        // 1.0 % per kWh from here on: after 5 min of it the ratio is below 1.2
        for (long t = 601_000; t <= 1_000_000; t += 1000) {
            h.feed("ChargeEnergy", t / 60_000.0, t);
            h.feed("SoC", 35 + 1.0 * (t - 600_000) / 60_000.0, t);
        }
        assertTrue(h.active());
    }

    @Test void riseMaxMinDelta() throws Exception {
        Harness rise = Harness.rule("rise(CoolantTemp, 30s) > 20%", null);
        rise.feed("CoolantTemp", 50, 0).feed("CoolantTemp", 60, 10_000);
        assertFalse(rise.active());
        rise.feed("CoolantTemp", 61, 20_000);
        assertTrue(rise.active());
        Harness max = Harness.rule("max(VehicleSpeed, 5s) - min(VehicleSpeed, 5s) > 40", null);
        max.feed("VehicleSpeed", 100, 0).feed("VehicleSpeed", 59, 4_000);
        assertTrue(max.active());
    }

    /** Property: drop() equals a brute-force max over the samples in [now - W, now] on random series. */
    @Test void dropMatchesBruteForce() throws Exception {
        Random rnd = new Random(42);
        for (int run = 0; run < 100; run++) {
            int windowMs = 100 * (1 + rnd.nextInt(50));
            double threshold = 10 + rnd.nextInt(60);
            Harness h = Harness.rule("drop(ChargePower, " + windowMs + "ms) > " + threshold + "%", null);
            List<long[]> hist = new ArrayList<>();
            long t = 0;
            double p = 50;
            boolean active = false;
            for (int k = 0; k < 300; k++) {
                t += 1 + rnd.nextInt(400);
                p = Math.max(0, Math.min(600, p + rnd.nextGaussian() * 15));
                double v = h.dbc.quantize("ChargePower", p);
                h.feed("ChargePower", v, t);
                hist.add(new long[] {t, Double.doubleToLongBits(v)});
                double max = Double.NEGATIVE_INFINITY;
                for (long[] s : hist) if (s[0] >= t - windowMs) max = Math.max(max, Double.longBitsToDouble(s[1]));
                double drop = max <= 0 ? 0 : (max - v) / max * 100;
                active = drop > threshold;
                assertEquals(active, h.active(), "run " + run + " k " + k + " t " + t + " drop " + drop);
            }
        }
    }
}
