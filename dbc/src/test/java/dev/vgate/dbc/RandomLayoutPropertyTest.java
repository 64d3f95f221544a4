package dev.vgate.dbc;

import dev.vgate.dbc.testing.FrameBitMap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random layouts (both byte orders, widths 1-64, signed/unsigned, float32/float64, factors and
 * offsets, multiplexing), written as DBC text, parsed, then: encode → decode round-trips raw values exactly,
 * and decoding random bytes agrees bit for bit with a slow reference that walks the bits one by one.
 */
class RandomLayoutPropertyTest {
    private static final int[] LENGTHS = {1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};

    record Sig(String name, int start, int length, boolean littleEndian, boolean signed, int valueType,
               double factor, double offset, Long muxValue, boolean isSwitch) {}

    @Test
    void randomLayoutsRoundTripAndMatchTheBitByBitReference() throws Exception {
        Random rnd = new Random(20261123L);
        int checkedSignals = 0;
        for (int round = 0; round < 400; round++) {
            int len = LENGTHS[rnd.nextInt(LENGTHS.length)];
            boolean mux = rnd.nextInt(3) == 0 && len >= 2;
            List<Sig> sigs = randomSignals(rnd, len, mux);
            String text = toDbc(len, sigs);
            DbcDatabase db = DbcDatabase.parse(text, "random-" + round + ".dbc");
            Message msg = db.messages().get(0);
            FrameDecoder dec = db.newDecoder();

            // 1. encode → decode round-trip of random raw values
            for (int rep = 0; rep < 5; rep++) {
                Map<String, Object> values = new LinkedHashMap<>();
                Map<String, Long> expectedRaw = new HashMap<>();
                long muxValue = -1;
                if (mux) {
                    Sig sw = sigs.get(0);
                    muxValue = rnd.nextInt(3);
                    values.put(sw.name(), (double) muxValue);
                    expectedRaw.put(sw.name(), muxValue);
                }
                for (Sig s : sigs) {
                    if (s.isSwitch() || (s.muxValue() != null && s.muxValue() != muxValue)) continue;
                    long raw = randomRaw(rnd, s);
                    expectedRaw.put(s.name(), raw);
                    values.put(s.name(), physical(s, raw));
                }
                byte[] frame = db.encoder().encode(msg, values);
                Map<String, Long> got = new HashMap<>();
                DecodeStatus st = dec.decode(msg.frameId(), msg.isExtended(), frame, frame.length, (sig, raw, value) -> got.put(sig.name(), raw));
                if (mux && !hasGroup(sigs, muxValue)) {
                    assertEquals(DecodeStatus.UNKNOWN_MULTIPLEXER, st, text);
                    assertEquals(Map.of(), got, "nothing delivered for an unknown multiplexer value");
                    continue;
                }
                assertEquals(DecodeStatus.OK, st, text);
                assertEquals(expectedRaw, got, text);
                checkedSignals += got.size();
            }

            // 2. random bytes: every delivered signal equals the slow reference extraction
            for (int rep = 0; rep < 5; rep++) {
                byte[] data = new byte[len];
                rnd.nextBytes(data);
                Map<String, Long> got = new HashMap<>();
                DecodeStatus st = dec.decode(msg.frameId(), msg.isExtended(), data, len, (sig, raw, value) -> got.put(sig.name(), raw));
                if (st == DecodeStatus.UNKNOWN_MULTIPLEXER) {
                    long sw = referenceRaw(data, sigs.get(0));
                    assertEquals(false, hasGroup(sigs, sw), "mux value " + sw + " has a group but was refused");
                    assertEquals(Map.of(), got);
                    continue;
                }
                assertEquals(DecodeStatus.OK, st);
                long muxValue = mux ? referenceRaw(data, sigs.get(0)) : -1;
                for (Sig s : sigs) {
                    boolean active = s.muxValue() == null || s.muxValue() == muxValue;
                    assertEquals(active ? referenceRaw(data, s) : null, got.get(s.name()), s + " in " + text);
                }
            }
        }
        System.out.println("random layouts: " + checkedSignals + " signal values round-tripped");
    }

    private static boolean hasGroup(List<Sig> sigs, long v) {
        return sigs.stream().noneMatch(s -> s.muxValue() != null) || sigs.stream().anyMatch(s -> s.muxValue() != null && s.muxValue() == v);
    }

    /** Picks signals that do not overlap (multiplexed groups 0..2 share the bits after the switch). */
    private static List<Sig> randomSignals(Random rnd, int len, boolean mux) {
        List<Sig> out = new ArrayList<>();
        FrameBitMap taken = new FrameBitMap(len, 3);
        if (mux) {
            Sig sw = new Sig("Switch", 0, 2 + rnd.nextInt(3), true, false, 0, 1, 0, null, true);
            taken.tryTake(sw.start(), sw.length(), sw.littleEndian(), null); // the first bits of an empty frame: always free
            out.add(sw);
        }
        int tries = 0;
        while (out.size() < 12 && tries++ < 60) {
            int bits = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(64) : 1 + rnd.nextInt(16);
            boolean le = rnd.nextBoolean();
            int start = rnd.nextInt(len * 8);
            int vt = 0;
            if (rnd.nextInt(8) == 0) { bits = 32; vt = 1; } else if (rnd.nextInt(12) == 0) { bits = 64; vt = 2; }
            boolean signed = vt == 0 && rnd.nextBoolean();
            double factor = vt != 0 || bits > 50 ? 1 : new double[] {1, 0.1, 0.5, 2, 0.001, 1e-7, 0.25}[rnd.nextInt(7)];
            double offset = vt != 0 || bits > 50 ? 0 : new double[] {0, -40, 100, -3276.8, 0.5}[rnd.nextInt(5)];
            Long muxValue = mux && rnd.nextBoolean() ? (long) rnd.nextInt(3) : null;
            Sig s = new Sig("S" + out.size(), start, bits, le, signed, vt, factor, offset, muxValue, false);
            if (!taken.tryTake(s.start(), s.length(), s.littleEndian(), muxValue)) continue;
            out.add(s);
        }
        return out;
    }



    /** The slow reference: walks the bits one at a time (Motorola from the MSB, Intel from the LSB). */
    static long referenceRaw(byte[] data, Sig s) {
        List<Integer> pos = FrameBitMap.positions(s.start(), s.length(), s.littleEndian());
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int p = pos.get(i);
            long bit = (data[p / 8] >> (p % 8)) & 1;
            if (s.littleEndian()) v |= bit << i;
            else v = (v << 1) | bit;
        }
        if (s.signed() && s.length() < 64 && ((v >>> (s.length() - 1)) & 1) != 0) v |= -1L << s.length();
        return v;
    }

    private static long randomRaw(Random rnd, Sig s) {
        if (s.valueType() == 1) {
            float f;
            do { f = Float.intBitsToFloat(rnd.nextInt()); } while (Float.isNaN(f));
            return Float.floatToRawIntBits(f) & 0xFFFFFFFFL;
        }
        if (s.valueType() == 2) {
            double d;
            do { d = Double.longBitsToDouble(rnd.nextLong()); } while (Double.isNaN(d));
            return Double.doubleToRawLongBits(d);
        }
        int n = s.length();
        long bits = n == 64 ? rnd.nextLong() : rnd.nextLong() & ((1L << n) - 1);
        if (rnd.nextInt(5) == 0) bits = rnd.nextBoolean() ? 0 : (n == 64 ? -1L : (1L << n) - 1); // edges
        if (s.signed() && n < 64 && ((bits >>> (n - 1)) & 1) != 0) bits |= -1L << n;
        return bits;
    }

    private static Object physical(Sig s, long raw) {
        if (s.valueType() == 1) return (double) Float.intBitsToFloat((int) raw);
        if (s.valueType() == 2) return Double.longBitsToDouble(raw);
        if (!s.signed() && s.length() == 64 && raw < 0) return new java.math.BigInteger(Long.toUnsignedString(raw));
        if (s.factor() == 1 && s.offset() == 0) return raw; // exact, as a Long
        return raw * s.factor() + s.offset();
    }

    private static String toDbc(int len, List<Sig> sigs) {
        StringBuilder sb = new StringBuilder("VERSION \"\"\n\nNS_ :\n\nBS_:\n\nBU_: ECU\n\nBO_ 291 Random: " + len + " ECU\n");
        for (Sig s : sigs) {
            String mux = s.isSwitch() ? " M" : s.muxValue() != null ? " m" + s.muxValue() : "";
            sb.append(" SG_ ").append(s.name()).append(mux).append(" : ").append(s.start()).append('|').append(s.length())
                    .append('@').append(s.littleEndian() ? '1' : '0').append(s.signed() ? '-' : '+')
                    .append(" (").append(s.factor()).append(',').append(s.offset()).append(") [0|0] \"\" ECU\n");
        }
        sb.append('\n');
        for (Sig s : sigs) if (s.valueType() != 0) sb.append("SIG_VALTYPE_ 291 ").append(s.name()).append(" : ").append(s.valueType()).append(";\n");
        return sb.toString();
    }
}
