package dev.vgate.dbc;

/**
 * The hot path: id → compiled message, length check, then one shift-and-mask per signal. Classic frames
 * (up to 8 bytes) are read once into a little- and a big-endian word; longer frames read each signal's
 * own bytes. Multiplexed messages resolve their active group before anything reaches the sink, so a
 * frame with an unknown multiplexer value delivers nothing. No allocation per frame.
 */
final class CompiledDecoder implements FrameDecoder {
    private final DbcDatabase db;
    private final long[] raw;
    private final boolean[] active;
    private CompiledMessage last;
    private DecodeStatus lastStatus = DecodeStatus.OK;
    // what lastError() needs, kept as primitives so that errors allocate only when asked for
    private int lastId;
    private boolean lastExtended;
    private int lastLength;
    private int badSwitch;
    private long badSwitchValue;

    CompiledDecoder(DbcDatabase db, int maxSignals) {
        this.db = db;
        this.raw = new long[Math.max(1, maxSignals)];
        this.active = new boolean[Math.max(1, maxSignals)];
    }

    @Override
    public DecodeStatus decode(int frameId, boolean extended, byte[] data, int length, SignalSink sink) {
        CompiledMessage m = db.lookup(frameId, extended);
        last = m;
        lastId = frameId;
        lastExtended = extended;
        lastLength = length;
        if (m == null) return lastStatus = DecodeStatus.UNKNOWN_ID;
        if (length != m.length()) return lastStatus = DecodeStatus.WRONG_LENGTH;
        if (m.isMultiplexed()) return lastStatus = decodeMultiplexed(m, data, sink);
        if (length <= 8) {
            decodeClassic(m, data, length, sink);
        } else {
            CompiledSignal[] sigs = m.signalArray;
            for (CompiledSignal s : sigs) {
                if (!s.decodable) continue;
                long r = s.rawFromBits(s.layout.extract(data));
                sink.signal(s, r, s.toPhysical(r));
            }
        }
        return lastStatus = DecodeStatus.OK;
    }

    /** Up to 8 bytes: one load of the payload as a little- and a big-endian word, then shift-and-mask per signal. */
    private static void decodeClassic(CompiledMessage m, byte[] data, int length, SignalSink sink) {
        long le = length == 8 ? (long) LONG_LE.get(data, 0) : littleEndianWord(data, length);
        long be = length == 8 ? Long.reverseBytes(le) : bigEndianWord(data, length);
        final CompiledSignal[] sigs = m.fastSignals;
        final boolean[] little = m.fastLittleEndian;
        final int[] shift = m.fastShift;
        final long[] mask = m.fastMask;
        final int[] signShift = m.fastSignShift;
        final boolean[] linear = m.fastLinear;
        final double[] factor = m.fastFactor;
        final double[] offset = m.fastOffset;
        for (int k = 0; k < sigs.length; k++) {
            long bits = ((little[k] ? le : be) >>> shift[k]) & mask[k];
            int ss = signShift[k];
            long r = (bits << ss) >> ss;
            double v = linear[k] ? r * factor[k] + offset[k] : sigs[k].toPhysical(r);
            sink.signal(sigs[k], r, v);
        }
    }

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private DecodeStatus decodeMultiplexed(CompiledMessage m, byte[] data, SignalSink sink) {
        CompiledSignal[] sigs = m.signalArray;
        for (int k = 0; k < sigs.length; k++) active[k] = false;
        for (int p : m.switchOrder) {
            CompiledSignal s = sigs[p];
            int parent = s.switchPosition;
            boolean on = s.decodable && (parent < 0 || (active[parent] && CompiledSignal.inRanges(s.muxRanges, raw[parent])));
            active[p] = on;
            if (!on) continue;
            raw[p] = s.rawFromBits(s.layout.extract(data));
            if (s.childRanges.length > 0 && !CompiledSignal.inRanges(s.childRanges, raw[p])) {
                badSwitch = p;
                badSwitchValue = raw[p];
                return DecodeStatus.UNKNOWN_MULTIPLEXER;
            }
        }
        for (int k = 0; k < sigs.length; k++) {
            CompiledSignal s = sigs[k];
            if (!s.decodable) continue;
            int parent = s.switchPosition;
            if (parent >= 0 && !(active[parent] && CompiledSignal.inRanges(s.muxRanges, raw[parent]))) continue;
            long r = s.isMultiplexer() && active[k] ? raw[k] : s.rawFromBits(s.layout.extract(data));
            sink.signal(s, r, s.toPhysical(r));
        }
        return DecodeStatus.OK;
    }

    /** Bytes 0..len-1 as a little-endian word (byte 0 = bits 0..7). */
    static long littleEndianWord(byte[] d, int len) {
        long w = 0;
        for (int k = len - 1; k >= 0; k--) w = (w << 8) | (d[k] & 0xFFL);
        return w;
    }

    /** Bytes 0..len-1 as a big-endian 8-byte word (byte 0 = bits 56..63, missing bytes are zero). */
    static long bigEndianWord(byte[] d, int len) {
        long w = 0;
        for (int k = 0; k < len; k++) w = (w << 8) | (d[k] & 0xFFL);
        return len == 0 ? 0 : w << (8 * (8 - len));
    }

    @Override public Message lastMessage() { return last; }

    @Override public String lastError() {
        switch (lastStatus) {
            case UNKNOWN_ID:
                return "Unknown frame id " + Integer.toUnsignedString(lastId) + " (0x" + Integer.toHexString(lastId) + ")";
            case WRONG_LENGTH:
                return "Wrong data size: " + lastLength + " instead of " + last.length() + " bytes";
            case UNKNOWN_MULTIPLEXER: {
                CompiledSignal s = last.signalArray[badSwitch];
                return "expected multiplexer id " + formatRanges(s.childRanges) + ", but got " + badSwitchValue
                        + " (" + last.name() + "." + s.name() + ")";
            }
            default:
                return null;
        }
    }

    /** "0, 1 or 2" as cantools says it; ranges as "3..9". */
    private static String formatRanges(long[] r) {
        StringBuilder sb = new StringBuilder();
        int items = 0;
        int total = 0;
        for (int k = 0; k < r.length; k += 2) total += r[k] == r[k + 1] ? 1 : (r[k + 1] - r[k] < 3 ? (int) (r[k + 1] - r[k] + 1) : 1);
        for (int k = 0; k < r.length; k += 2) {
            long lo = r[k], hi = r[k + 1];
            if (hi - lo < 3) {
                for (long v = lo; v <= hi; v++) items = append(sb, Long.toString(v), items, total);
            } else {
                items = append(sb, lo + ".." + hi, items, total);
            }
        }
        return sb.toString();
    }

    private static int append(StringBuilder sb, String item, int items, int total) {
        if (items > 0) sb.append(items == total - 1 ? " or " : ", ");
        sb.append(item);
        return items + 1;
    }
}
