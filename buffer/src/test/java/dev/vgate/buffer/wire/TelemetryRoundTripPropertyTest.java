package dev.vgate.buffer.wire;

import dev.vgate.dbc.testing.FrameBitMap;

import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.buffer.pack.TelemetryPacker;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Message;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property test of the whole telemetry path, in the manner of cantools' own random-layout tests: seeded
 * random DBC layouts (integer and signed, both byte orders, widths 1-64, float32/float64 with any factor and
 * offset, multiplexed, value tables, CAN FD lengths, extended ids) and random frames are written as a candump
 * recording, packed exactly as vgate uploads them ({@link TelemetryPacker}: collector, SQLite buffer,
 * uploader, batch encoder), decoded ({@link BatchDecoder}), and compared sample by sample — timestamp, raw
 * and physical value, bit for bit — with what the DBC decoder ({@code dbc decode}) gives for the same frames.
 * Reproducible: the seed is fixed (override with -Dvgate.roundtrip.seed=N, size with -Dvgate.roundtrip.rounds=N).
 */
class TelemetryRoundTripPropertyTest {
    private static final int MESSAGES_PER_DBC = 50;
    private static final int FRAMES_PER_MESSAGE = 12;

    record Sig(String name, int start, int length, boolean littleEndian, boolean signed, int valueType,
               double factor, double offset, Long muxValue, boolean isSwitch, boolean valueTable) {}

    @Test
    void everySignalKindRoundTripsExactlyAgainstTheDbcDecoder() throws Exception {
        long seed = Long.getLong("vgate.roundtrip.seed", 20261203L);
        int rounds = Integer.getInteger("vgate.roundtrip.rounds", 48);
        Random rnd = new Random(seed);
        int layouts = 0, floatScaled = 0;
        long samples = 0;
        for (int round = 0; round < rounds; round++) {
            StringBuilder dbc = new StringBuilder("VERSION \"\"\n\nNS_ :\n\nBS_:\n\nBU_: ECU\n\n");
            StringBuilder vals = new StringBuilder();
            List<List<Sig>> layoutsOfRound = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            List<Boolean> extended = new ArrayList<>();
            for (int m = 0; m < MESSAGES_PER_DBC; m++) {
                boolean fd = rnd.nextInt(5) == 0;
                int len = fd ? new int[] {12, 16, 20, 24, 32, 48, 64}[rnd.nextInt(7)] : 1 + rnd.nextInt(8);
                boolean mux = rnd.nextInt(3) == 0 && len >= 2;
                boolean ext = rnd.nextInt(6) == 0;
                List<Sig> sigs = randomSignals(rnd, len, mux);
                long dbcId = ext ? (0x18FF0000L + m) | 0x80000000L : 0x100 + m;
                dbc.append("BO_ ").append(dbcId).append(" M").append(m).append(": ").append(len).append(" ECU\n");
                for (Sig s : sigs) {
                    String muxMark = s.isSwitch() ? " M" : s.muxValue() != null ? " m" + s.muxValue() : "";
                    dbc.append(" SG_ ").append(s.name()).append(muxMark).append(" : ").append(s.start()).append('|').append(s.length())
                            .append('@').append(s.littleEndian() ? '1' : '0').append(s.signed() ? '-' : '+')
                            .append(" (").append(num(s.factor())).append(',').append(num(s.offset())).append(") [0|0] \"\" ECU\n");
                    if (s.valueTable()) vals.append("VAL_ ").append(dbcId).append(' ').append(s.name()).append(" 0 \"Off\" 1 \"On\" 2 \"Error\" ;\n");
                    if (s.valueType() != 0 && (s.factor() != 1 || s.offset() != 0)) floatScaled++;
                }
                dbc.append('\n');
                layoutsOfRound.add(sigs);
                lengths.add(len);
                extended.add(ext);
            }
            for (int m = 0; m < MESSAGES_PER_DBC; m++) {
                for (Sig s : layoutsOfRound.get(m)) {
                    long dbcId = extended.get(m) ? (0x18FF0000L + m) | 0x80000000L : 0x100 + m;
                    if (s.valueType() != 0) dbc.append("SIG_VALTYPE_ ").append(dbcId).append(' ').append(s.name()).append(" : ").append(s.valueType()).append(";\n");
                }
            }
            dbc.append(vals);
            String name = "random-" + seed + "-" + round + ".dbc";
            DbcDatabase db = DbcDatabase.parse(dbc.toString(), name);
            assertEquals(MESSAGES_PER_DBC, db.messages().size(), name);
            layouts += MESSAGES_PER_DBC;

            // frames: every message FRAMES_PER_MESSAGE times, interleaved, 1 ms ± jitter apart
            StringBuilder log = new StringBuilder();
            List<String> expected = new ArrayList<>();
            FrameDecoder reference = db.newDecoder();
            long tUs = 1_700_000_000_000_000L + round * 1_000_000_000L;
            for (int f = 0; f < FRAMES_PER_MESSAGE; f++) {
                for (int m = 0; m < MESSAGES_PER_DBC; m++) {
                    tUs += 1000 + rnd.nextInt(200);
                    int len = lengths.get(m);
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    List<Sig> sigs = layoutsOfRound.get(m);
                    if (!sigs.isEmpty() && sigs.get(0).isSwitch() && rnd.nextInt(5) != 0) {
                        int mask = (1 << sigs.get(0).length()) - 1;
                        data[0] = (byte) ((data[0] & ~mask) | rnd.nextInt(3));
                    }
                    if (rnd.nextInt(8) == 0) java.util.Arrays.fill(data, (byte) (rnd.nextBoolean() ? 0 : -1)); // edges
                    Message msg = db.messages().get(m);
                    long t = tUs;
                    reference.decode(msg.frameId(), msg.isExtended(), data, len, (sig, raw, value) ->
                            expected.add(line(t, "can0", sig.message().name(), sig.name(), raw, value)));
                    log.append(String.format(Locale.ROOT, "(%d.%06d) can0 ", t / 1_000_000, t % 1_000_000));
                    log.append(extended.get(m) ? String.format(Locale.ROOT, "%08X", msg.frameId()) : String.format(Locale.ROOT, "%03X", msg.frameId()));
                    log.append(len > 8 ? "##0" : "#");
                    for (byte b : data) log.append(String.format(Locale.ROOT, "%02X", b));
                    log.append('\n');
                }
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TelemetryPacker.Result r = new TelemetryPacker(new BusDatabases().put("can0", db), CollectionPolicy.everySample(),
                    UploaderConfig.defaults("prop").withBatchInterval(10_000), 1000).pack(new BufferedReader(new StringReader(log.toString())), name, out);
            assertEquals(expected.size(), r.samples(), name + ": packed samples");
            List<String> got = new ArrayList<>();
            InputStream in = new ByteArrayInputStream(out.toByteArray());
            TelemetryBatch b;
            while ((b = BatchDecoder.readDelimited(in)) != null) {
                assertEquals(BatchEncoder.SCHEMA_VERSION, b.getSchemaVersion());
                BatchDecoder.visit(b, (t, bus, message, signal, raw, value) -> got.add(line(t, bus, message, signal, raw, value)));
            }
            Collections.sort(expected);
            Collections.sort(got);
            if (!expected.equals(got)) {
                for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
                    assertEquals(expected.get(i), got.get(i), name + " (seed " + seed + "), first difference at sample " + i + "\n" + dbc);
                }
            }
            assertEquals(expected, got, name);
            samples += got.size();
        }
        assertTrue(floatScaled > 100, "the corpus must hold float signals with factor != 1 or offset != 0, had " + floatScaled);
        System.out.printf(Locale.ROOT, "telemetry round trip: %d random layouts (%d scaled float signals), %d samples, seed %d: all exact%n",
                layouts, floatScaled, samples, seed);
    }

    private static String line(long t, String bus, String message, String signal, long raw, double value) {
        // raw and the physical value's exact bits (NaNs compared as one NaN)
        return t + " " + bus + " " + message + "." + signal + " raw=" + raw + " value=" + Long.toHexString(Double.doubleToLongBits(value)) + " (" + value + ")";
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static final double[] FACTORS = {1, 0.1, 0.5, 2, 0.001, 1e-7, 0.25, 3.7, -1.5, 0.0625};
    private static final double[] OFFSETS = {0, -40, 100, -3276.8, 0.5, -10, 1e3};

    /** Non-overlapping signals (multiplexed groups 0..2 share the bits after the switch), as dbc's RandomLayoutPropertyTest. */
    private static List<Sig> randomSignals(Random rnd, int len, boolean mux) {
        List<Sig> out = new ArrayList<>();
        FrameBitMap taken = new FrameBitMap(len, 3);
        if (mux) {
            Sig sw = new Sig("Switch", 0, 2 + rnd.nextInt(3), true, false, 0, 1, 0, null, true, false);
            taken.tryTake(sw.start(), sw.length(), sw.littleEndian(), null); // the first bits of an empty frame: always free
            out.add(sw);
        }
        int tries = 0;
        int maxSignals = 2 + rnd.nextInt(len > 8 ? 16 : 8);
        while (out.size() < maxSignals && tries++ < 80) {
            int bits = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(64) : 1 + rnd.nextInt(16);
            boolean le = rnd.nextBoolean();
            int start = rnd.nextInt(len * 8);
            int vt = 0;
            int pick = rnd.nextInt(10);
            if (pick < 2) { bits = 32; vt = 1; } else if (pick == 2) { bits = 64; vt = 2; }
            boolean signed = vt == 0 && rnd.nextBoolean();
            double factor = vt == 0 && bits > 50 ? 1 : FACTORS[rnd.nextInt(FACTORS.length)];
            double offset = vt == 0 && bits > 50 ? 0 : OFFSETS[rnd.nextInt(OFFSETS.length)];
            Long muxValue = mux && rnd.nextBoolean() ? (long) rnd.nextInt(3) : null;
            boolean table = vt == 0 && rnd.nextInt(6) == 0;
            Sig s = new Sig("S" + out.size(), start, bits, le, signed, vt, factor, offset, muxValue, false, table);
            if (!taken.tryTake(s.start(), s.length(), s.littleEndian(), muxValue)) continue;
            out.add(s);
        }
        return out;
    }


}
