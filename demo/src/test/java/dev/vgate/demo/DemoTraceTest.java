package dev.vgate.demo;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTraceTest {
    private static final Duration LENGTH = Duration.ofMinutes(2);
    private static DbcDatabase db;
    private static List<CanFrame> normal;
    private static Decoded normalDecoded;

    /** Every decoded value with the time (seconds since the trace start) it was sent at. */
    record Sample(double t, long raw, double value) {}

    static final class Decoded implements SignalSink {
        final Map<String, List<Sample>> bySignal = new HashMap<>();
        final Set<String> messages = new HashSet<>();
        double t;

        @Override public void signal(Signal signal, long raw, double value) {
            bySignal.computeIfAbsent(signal.name(), k -> new ArrayList<>()).add(new Sample(t, raw, value));
        }

        List<Sample> of(String signal) {
            List<Sample> s = bySignal.get(signal);
            assertTrue(s != null && !s.isEmpty(), "no values of " + signal);
            return s;
        }

        double max(String signal) { return of(signal).stream().mapToDouble(Sample::value).max().orElseThrow(); }

        double min(String signal) { return of(signal).stream().mapToDouble(Sample::value).min().orElseThrow(); }

        /** Values sent within [from, to) as fractions of the trace length. */
        List<Sample> between(String signal, double from, double to) {
            double len = LENGTH.toMillis() / 1000.0;
            return of(signal).stream().filter(s -> s.t >= from * len && s.t < to * len).toList();
        }
    }

    @BeforeAll
    static void generate() throws Exception {
        db = DemoDbc.load();
        normal = new DemoTrace(db, options(DemoTrace.DEFAULT_SEED, false)).frames();
        normalDecoded = decodeAll(normal);
    }

    private static DemoTrace.Options options(long seed, boolean overheat) {
        return new DemoTrace.Options(seed, DemoTrace.DEFAULT_START_NANOS, LENGTH, "can0", overheat);
    }

    /** Decodes every frame, failing on the first that the demo DBC does not decode. */
    private static Decoded decodeAll(List<CanFrame> frames) {
        FrameDecoder decoder = db.newDecoder();
        Decoded out = new Decoded();
        for (CanFrame f : frames) {
            out.t = (f.timestampNanos() - DemoTrace.DEFAULT_START_NANOS) / 1e9;
            DecodeStatus st = decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), out);
            assertEquals(DecodeStatus.OK, st, () -> "frame " + f + " does not decode: " + decoder.lastError());
            out.messages.add(decoder.lastMessage().name());
        }
        return out;
    }

    @Test
    void everyFrameDecodesWithTheDemoDbcAndEveryPeriodicMessageIsSent() {
        assertEquals(Set.of("Motor_Status", "Vehicle_Dynamics", "BMS_Status", "BMS_Thermal", "Charger_Status", "Body_Status",
                "BMS_CellData", "GPS_Position"), normalDecoded.messages);
        for (CanFrame f : normal) {
            assertEquals("can0", f.iface());
            assertEquals(db.message(f.id(), f.isExtended()).isFd(), f.isFd(), () -> "FD flag of " + f);
        }
    }

    @Test
    void messagesGoOutAtTheirDbcCycleTimeInTimeOrder() {
        long prev = Long.MIN_VALUE;
        Map<Integer, Integer> counts = new HashMap<>();
        for (CanFrame f : normal) {
            assertTrue(f.timestampNanos() >= prev, () -> "time goes backwards at " + f);
            prev = f.timestampNanos();
            counts.merge(f.id(), 1, Integer::sum);
        }
        long seconds = LENGTH.toSeconds();
        assertEquals(seconds * 1000 / 20, counts.get(0x200).longValue());   // Motor_Status, 20 ms
        assertEquals(seconds * 1000 / 100, counts.get(0x100).longValue());  // BMS_Status, 100 ms
        assertEquals(seconds * 1000 / 200, counts.get(0x320).longValue());  // Body_Status, 200 ms
        assertEquals(seconds * 3, counts.get(0x102).longValue());           // BMS_CellData: 3 groups each second
    }

    @Test
    void valuesStayInsideTheDbcRangesAndThePhysicalModel() {
        for (Signal s : db.signals()) {
            List<Sample> samples = normalDecoded.bySignal.get(s.name());
            if (samples == null || (s.minimum() == 0 && s.maximum() == 0)) continue;
            for (Sample x : samples) {
                assertTrue(x.value >= s.minimum() - 1e-9 && x.value <= s.maximum() + 1e-9,
                        () -> s.name() + " = " + x.value + " at " + x.t + " s is outside [" + s.minimum() + "|" + s.maximum() + "]");
            }
        }
        Decoded d = normalDecoded;
        assertTrue(d.max("VehicleSpeed") > 90 && d.max("VehicleSpeed") < 130, "highway speed " + d.max("VehicleSpeed"));
        assertEquals(0.0, d.min("VehicleSpeed"));
        assertTrue(d.min("PackVoltage") > 320 && d.max("PackVoltage") < 440, "pack voltage " + d.min("PackVoltage") + ".." + d.max("PackVoltage"));
        assertTrue(d.min("BMS_Temp") >= 20 && d.max("BMS_Temp") <= 45, "battery " + d.min("BMS_Temp") + ".." + d.max("BMS_Temp"));
        assertTrue(d.max("ChargePower") > 140 && d.max("ChargePower") < 160, "DC fast charge peak " + d.max("ChargePower"));
        for (Sample v : d.of("CellVoltage0")) assertTrue(v.value > 3.3 && v.value < 4.4, "cell voltage " + v);
    }

    @Test
    void drivingDischargesAndChargingCharges() {
        Decoded d = normalDecoded;
        assertTrue(d.between("VehicleSpeed", 0.02, 0.48).stream().anyMatch(s -> s.value > 30));
        assertTrue(d.between("VehicleSpeed", 0.53, 1).stream().allMatch(s -> s.value == 0), "the car stands while charging");
        assertTrue(d.between("ChargePower", 0, 0.50).stream().allMatch(s -> s.value == 0), "no charging while driving");
        assertTrue(d.between("PackCurrent", 0.60, 0.90).stream().allMatch(s -> s.value < -100), "charging current flows into the pack");
        List<Sample> soc = d.of("SoC");
        double socAtPlugIn = d.between("SoC", 0.50, 0.53).get(0).value;
        assertTrue(socAtPlugIn < soc.get(0).value, "the drive uses charge");
        assertTrue(soc.get(soc.size() - 1).value > socAtPlugIn + 10, "the charge adds charge");
        List<Sample> energy = d.of("ChargeEnergy");
        for (int k = 1; k < energy.size(); k++) assertTrue(energy.get(k).value >= energy.get(k - 1).value, "delivered energy never drops");
        assertTrue(d.between("ChargeState", 0.60, 0.90).stream().allMatch(s -> s.raw == 2), "CHARGING during the charge");
    }

    @Test
    void bmsStatusCarriesARollingCounterAndAValidChecksum() {
        int expected = 0;
        for (CanFrame f : normal) {
            if (f.id() != 0x100) continue;
            byte[] b = f.data();
            assertEquals(expected, b[7] & 0x0F, () -> "BMS_Counter of " + f);
            expected = (expected + 1) & 0xF;
            int sum = 0;
            for (int k = 0; k < 7; k++) sum += b[k] & 0xFF;
            assertEquals(sum & 0xF, (b[7] & 0xFF) >>> 4, () -> "BMS_Checksum of " + f);
        }
    }

    @Test
    void overheatPushesBmsTempPast60DegreesDuringTheChargeAndNotBefore() throws Exception {
        Decoded hot = decodeAll(new DemoTrace(db, options(DemoTrace.DEFAULT_SEED, true)).frames());
        assertTrue(hot.max("BMS_Temp") > 60, "overheat peak " + hot.max("BMS_Temp"));
        assertTrue(hot.max("BMS_Temp") <= 150, "inside the DBC range");
        assertTrue(hot.between("BMS_Temp", 0, 0.65).stream().allMatch(s -> s.value < 45), "normal until the pump fails");
        assertTrue(hot.between("BMS_Temp", 0.85, 1).stream().allMatch(s -> s.value > 60), "stays hot to the end");
        assertTrue(hot.between("CoolantPumpDuty", 0.70, 0.95).stream().allMatch(s -> s.value == 0), "the failed pump reports 0 %");
    }

    @Test
    void overheatCrosses60DegreesOnShortAndLongTraces() throws Exception {
        for (Duration length : List.of(Duration.ofSeconds(10), Duration.ofMinutes(10))) {
            DemoTrace trace = new DemoTrace(db, new DemoTrace.Options(7, DemoTrace.DEFAULT_START_NANOS, length, "can0", true));
            double[] max = {Double.NEGATIVE_INFINITY};
            FrameDecoder decoder = db.newDecoder();
            Signal temp = db.signal("BMS_Temp");
            SignalSink sink = (s, raw, value) -> { if (s == temp) max[0] = Math.max(max[0], value); };
            trace.generate(f -> decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), sink));
            assertTrue(max[0] > 60, length + ": peak " + max[0]);
        }
    }

    @Test
    void sameOptionsGiveTheSameTraceAndAnotherSeedAnotherOne() throws Exception {
        assertEquals(normal, new DemoTrace(db, options(DemoTrace.DEFAULT_SEED, false)).frames()); // id, flags, time, bus, payload
        List<CanFrame> other = new DemoTrace(db, options(99, false)).frames();
        assertEquals(normal.size(), other.size(), "the schedule does not depend on the seed");
        assertNotEquals(normal, other);
    }

    @Test
    void refusesATraceShorterThanTenSeconds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DemoTrace.Options(1, 0, Duration.ofSeconds(9), "can0", false));
        assertTrue(e.getMessage().contains("at least 10 s"), e.getMessage());
    }
}
