package dev.vgate.dbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Physical values or labels → frame bytes. Integers round half to even (as cantools' Python round);
 * a value outside the DBC [min|max] (when given) or outside what the bits can hold is refused, naming the
 * signal. Signals of inactive multiplexer groups are left zero; naming one is an error.
 */
final class CompiledEncoder implements FrameEncoder {
    @Override
    public byte[] encode(Message message, Map<String, ?> values) throws DbcEncodeException {
        if (!(message instanceof CompiledMessage m)) throw new DbcEncodeException("message " + message + " is not from a vgate DbcDatabase");
        CompiledSignal[] sigs = m.signalArray;
        Map<String, Integer> positions = m.positionsByName();
        for (String name : values.keySet()) {
            Integer k = positions.get(name);
            if (k == null) throw new DbcEncodeException("message " + m.name() + " has no signal " + name);
            if (!sigs[k].decodable) throw new DbcEncodeException("signal " + m.name() + "." + name + " does not fit in the message's " + m.length() + " bytes; it cannot be encoded");
        }
        long[] raw = new long[sigs.length];
        boolean[] active = new boolean[sigs.length];
        for (int p : m.switchOrder) {
            active[p] = isActive(sigs, p, raw, active);
            if (active[p]) raw[p] = toRaw(sigs[p], values.get(sigs[p].name()));
        }
        byte[] data = new byte[m.length()];
        for (int k = 0; k < sigs.length; k++) {
            CompiledSignal s = sigs[k];
            if (!s.decodable) continue;
            boolean on = s.switchPosition < 0 || isActive(sigs, k, raw, active);
            if (!on) {
                if (values.containsKey(s.name())) {
                    CompiledSignal sw = sigs[s.switchPosition];
                    throw new DbcEncodeException("signal " + m.name() + "." + s.name() + " is not active when "
                            + sw.name() + " = " + raw[s.switchPosition]);
                }
                continue;
            }
            long r = s.isMultiplexer() && active[k] ? raw[k] : toRaw(s, values.get(s.name()));
            s.layout.insert(data, r);
        }
        return data;
    }

    private static boolean isActive(CompiledSignal[] sigs, int k, long[] raw, boolean[] active) {
        CompiledSignal s = sigs[k];
        if (!s.decodable) return false;
        int parent = s.switchPosition;
        return parent < 0 || (active[parent] && CompiledSignal.inRanges(s.muxRanges, raw[parent]));
    }

    /** The raw bits of a value (null = the initial value), checked against the DBC range and the bit width. */
    static long toRaw(CompiledSignal s, Object value) throws DbcEncodeException {
        String where = s.message().name() + "." + s.name();
        if (value == null) return s.initialRaw() & s.layout.mask;
        if (value instanceof String label) {
            for (Map.Entry<Long, String> e : s.choices().entrySet()) {
                if (e.getValue().equals(label)) return checkedBits(s, e.getKey(), where, label);
            }
            throw new DbcEncodeException("signal " + where + " has no label \"" + label + "\""
                    + (s.choices().isEmpty() ? " (it has no value table)" : " (labels: " + String.join(", ", s.choices().values()) + ")"));
        }
        if (!(value instanceof Number n)) {
            throw new DbcEncodeException("signal " + where + ": expected a number or a label, got " + value.getClass().getSimpleName());
        }
        double v = n.doubleValue();
        boolean hasRange = s.minimum() != 0 || s.maximum() != 0;
        if (hasRange && (v < s.minimum() || v > s.maximum())) {
            throw new DbcEncodeException("signal " + where + " value " + v + " is out of range [" + s.minimum() + ", " + s.maximum() + "]"
                    + (s.unit().isEmpty() ? "" : " " + s.unit()));
        }
        switch (s.valueType()) {
            case FLOAT32:
                return Float.floatToRawIntBits((float) ((v - s.offset()) / s.factor())) & 0xFFFFFFFFL;
            case FLOAT64:
                return Double.doubleToRawLongBits((v - s.offset()) / s.factor());
            default:
                break;
        }
        if (!Double.isFinite(v)) throw new DbcEncodeException("signal " + where + " value " + v + " is not a finite number");
        int len = s.length();
        double quick = Math.rint((v - s.offset()) / s.factor());
        boolean exactInput = n instanceof BigDecimal || n instanceof BigInteger || n instanceof Long;
        if (len < 63 && Math.abs(quick) < 0x1p52 && !exactInput) {
            // the common case: same float arithmetic as cantools, range check in longs
            long r = (long) quick;
            long lo = s.isSigned() ? -(1L << (len - 1)) : 0;
            long hi = s.isSigned() ? (1L << (len - 1)) - 1 : (1L << len) - 1;
            if (r < lo || r > hi) throw rawOutOfRange(s, where, n, BigInteger.valueOf(r));
            return r & s.layout.mask;
        }
        // wide integers: exact decimal arithmetic so that 64-bit raw values survive
        BigDecimal exact = n instanceof BigDecimal bd ? bd : n instanceof BigInteger bi ? new BigDecimal(bi)
                : n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte ? BigDecimal.valueOf(n.longValue())
                : new BigDecimal(v);
        BigInteger r = exact.subtract(new BigDecimal(s.offset())).divide(new BigDecimal(s.factor()), MathContext.DECIMAL128)
                .setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
        if (r.compareTo(minRaw(s)) < 0 || r.compareTo(maxRaw(s)) > 0) throw rawOutOfRange(s, where, n, r);
        return r.longValue() & s.layout.mask;
    }

    private static BigInteger minRaw(CompiledSignal s) {
        return s.isSigned() ? BigInteger.ONE.shiftLeft(s.length() - 1).negate() : BigInteger.ZERO;
    }

    private static BigInteger maxRaw(CompiledSignal s) {
        return (s.isSigned() ? BigInteger.ONE.shiftLeft(s.length() - 1) : BigInteger.ONE.shiftLeft(s.length())).subtract(BigInteger.ONE);
    }

    private static DbcEncodeException rawOutOfRange(CompiledSignal s, String where, Number n, BigInteger r) {
        return new DbcEncodeException("signal " + where + " value " + n + " is out of range: raw " + r + " does not fit in "
                + s.length() + " bits " + (s.isSigned() ? "signed" : "unsigned") + " (physical " + physical(s, minRaw(s)) + " .. "
                + physical(s, maxRaw(s)) + ")");
    }

    private static double physical(CompiledSignal s, BigInteger raw) {
        return raw.doubleValue() * s.factor() + s.offset();
    }

    private static long checkedBits(CompiledSignal s, long raw, String where, String label) throws DbcEncodeException {
        int len = s.length();
        if (len < 64) {
            long min = s.isSigned() ? -(1L << (len - 1)) : 0;
            long max = s.isSigned() ? (1L << (len - 1)) - 1 : (1L << len) - 1;
            if (raw < min || raw > max) throw new DbcEncodeException("signal " + where + " label \"" + label + "\" = " + raw + " does not fit in " + len + " bits");
        }
        return raw & s.layout.mask;
    }
}
