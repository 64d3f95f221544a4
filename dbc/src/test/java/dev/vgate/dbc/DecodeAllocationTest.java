package dev.vgate.dbc;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The decode path allocates nothing per frame, decoded or refused (a gateway decodes thousands of frames a
 * second for months: garbage would mean GC pauses on the path that feeds the safety rules). Counted with the
 * JVM's per-thread allocation counter after warm-up, so that the JIT's escape analysis has run; JMH's
 * {@code -prof gc} in {@code DbcDecodeBenchmark} measures the same on the real recording.
 */
class DecodeAllocationTest {
    /** Frames as arrays, so that the loop itself allocates nothing either. */
    record Frames(int[] ids, boolean[] extended, byte[][] data, FrameDecoder[] decoders) {}

    /** Sums what it is given, so that nothing is dead code. */
    static final class SumSink implements SignalSink {
        double sum;
        long raws;

        @Override public void signal(Signal signal, long raw, double value) {
            sum += value;
            raws += raw;
        }
    }

    @Test
    void demoDbcFramesOfEveryKindAndRefusedFramesAllocateNothing() throws Exception {
        DbcDatabase db = DemoDbc.load();
        FrameEncoder enc = db.encoder();
        FrameDecoder d = db.newDecoder();
        List<byte[]> data = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<Boolean> ext = new ArrayList<>();
        // Intel and Motorola, signed, float32 (ChargeEnergy), 29-bit id, CAN FD multiplexed with a 64-bit signal
        add(ids, ext, data, db, enc, "BMS_Status", Map.of("PackVoltage", 401.25, "PackCurrent", -12.3, "BMS_State", "CHARGING"));
        add(ids, ext, data, db, enc, "Motor_Status", Map.of("MotorSpeed", -5000, "MotorTorque", -100.5, "MotorMode", "REGEN"));
        add(ids, ext, data, db, enc, "Charger_Status", Map.of("ChargePower", 150.0, "ChargeEnergy", 12.5));
        add(ids, ext, data, db, enc, "GPS_Position", Map.of("Latitude", 48.1, "Longitude", 11.5));
        add(ids, ext, data, db, enc, "BMS_CellData", Map.of("CellGroup", 0, "CellVoltage0", 3.9));
        add(ids, ext, data, db, enc, "BMS_CellData", Map.of("CellGroup", 2, "BalancingMask", 0x70F0_0000_0000_00FFL));
        // refused: unknown id, wrong length, unknown multiplexer value
        ids.add(0x7AB); ext.add(false); data.add(new byte[8]);
        ids.add(0x100); ext.add(false); data.add(new byte[7]);
        byte[] badMux = new byte[64];
        badMux[0] = 9;
        ids.add(0x102); ext.add(false); data.add(badMux);

        int n = ids.size();
        Frames f = new Frames(new int[n], new boolean[n], data.toArray(new byte[0][]), new FrameDecoder[n]);
        for (int k = 0; k < n; k++) {
            f.ids[k] = ids.get(k);
            f.extended[k] = ext.get(k);
            f.decoders[k] = d;
        }
        assertEquals(6, decodeAll(f, new SumSink()), "frames that decode");
        assertNoAllocationPerFrame(f, 300_000 / n);
    }

    @Test
    void theRealKonaRecordingAllocatesNothing() throws Exception {
        Path shared = SharedData.dir();
        FrameDecoder pcan = DbcDatabase.load(shared.resolve("dbc/kona-ev-dbc/pcan.dbc")).newDecoder();
        FrameDecoder ccan = DbcDatabase.load(shared.resolve("dbc/opendbc-generated/hyundai_can_generated.dbc")).newDecoder();
        List<String> lines = Files.readAllLines(shared.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log"),
                StandardCharsets.US_ASCII);
        int n = lines.size();
        Frames f = new Frames(new int[n], new boolean[n], new byte[n][], new FrameDecoder[n]);
        for (int k = 0; k < n; k++) {
            // "(1673540123.456789) can0 123#DEADBEEF": all ids in this log are 11-bit
            String[] parts = lines.get(k).split(" ");
            String[] frame = parts[2].split("#", -1);
            f.ids[k] = Integer.parseInt(frame[0], 16);
            f.data[k] = HexFormat.of().parseHex(frame[1]);
            f.decoders[k] = parts[1].equals("can0") ? pcan : ccan;
        }
        assertEquals(39_546, n);
        // 23,980 on can0 + 14,231 on can1 decode (KonaConformanceTest checks the values against cantools)
        assertEquals(23_980 + 14_231, decodeAll(f, new SumSink()));
        assertNoAllocationPerFrame(f, 8);
    }

    private static void add(List<Integer> ids, List<Boolean> ext, List<byte[]> data, DbcDatabase db, FrameEncoder enc,
                            String message, Map<String, ?> values) throws DbcEncodeException {
        Message m = db.messageByName(message);
        ids.add(m.frameId());
        ext.add(m.isExtended());
        data.add(enc.encode(m, values));
    }

    private static int decodeAll(Frames f, SignalSink sink) {
        int ok = 0;
        for (int k = 0; k < f.ids.length; k++) {
            if (f.decoders[k].decode(f.ids[k], f.extended[k], f.data[k], f.data[k].length, sink) == DecodeStatus.OK) ok++;
        }
        return ok;
    }

    /**
     * Best of three measurements. Not "exactly 0": a JIT recompilation or deoptimization on this thread can
     * allocate a few hundred bytes once, on a loaded machine at any time. An object per frame would be at least
     * 16 B per frame, and even one per thousand frames would exceed the bound of 1 byte per 100 frames.
     */
    private static void assertNoAllocationPerFrame(Frames f, int rounds) {
        long frames = (long) f.ids.length * rounds;
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && best > 0; attempt++) best = Math.min(best, allocatedWhileDecoding(f, rounds));
        long bound = frames / 100;
        long allocated = best;
        assertTrue(allocated <= bound, () -> allocated + " bytes allocated while decoding " + frames + " frames (bound " + bound + ")");
    }

    private static long allocatedWhileDecoding(Frames f, int rounds) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "skipped: per-thread allocation counting not supported by this JVM");
        SumSink sink = new SumSink();
        for (int r = 0; r < Math.max(20, 500_000 / f.ids.length); r++) decodeAll(f, sink); // warm-up: let the JIT compile the loop
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int r = 0; r < rounds; r++) decodeAll(f, sink);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        return allocated;
    }
}
