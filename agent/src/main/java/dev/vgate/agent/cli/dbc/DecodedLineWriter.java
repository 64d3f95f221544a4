package dev.vgate.agent.cli.dbc;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;

/**
 * Collects one frame's signals (as a {@link SignalSink}) and writes them as one line: text
 * ({@code (t) can0 123#DATA :: Msg(Sig: 1.5 V, Mode: CHARGING)}, cantools' layout) or JSON
 * ({@code {"t":...,"bus":"can0","id":291,"message":"Msg","signals":{"Sig":1.5,"Mode":"CHARGING"}}}).
 * Labels are strings, numbers are numbers, non-finite floats are "nan", "inf", "-inf".
 */
public final class DecodedLineWriter implements SignalSink {
    private final boolean json;
    private Signal[] signals = new Signal[64];
    private long[] raws = new long[64];
    private double[] values = new double[64];
    private int count;

    public DecodedLineWriter(boolean json) { this.json = json; }

    /** Starts a new frame. */
    public void reset() { count = 0; }

    public int count() { return count; }

    @Override public void signal(Signal signal, long raw, double value) {
        if (count == signals.length) grow();
        signals[count] = signal;
        raws[count] = raw;
        values[count] = value;
        count++;
    }

    private void grow() {
        signals = java.util.Arrays.copyOf(signals, count * 2);
        raws = java.util.Arrays.copyOf(raws, count * 2);
        values = java.util.Arrays.copyOf(values, count * 2);
    }

    public StringBuilder appendDecoded(CanFrame f, Message m, StringBuilder sb) {
        if (json) {
            jsonHead(f, sb).append(",\"message\":");
            jsonString(sb, m.name()).append(",\"signals\":{");
            for (int k = 0; k < count; k++) {
                if (k > 0) sb.append(',');
                jsonString(sb, signals[k].name()).append(':');
                String label = signals[k].label(raws[k]);
                if (label != null) jsonString(sb, label);
                else jsonNumber(sb, signals[k], raws[k], values[k]);
            }
            return sb.append("}}");
        }
        CandumpFormat.appendLogLine(f, sb).append(" :: ").append(m.name()).append('(');
        for (int k = 0; k < count; k++) {
            if (k > 0) sb.append(", ");
            sb.append(signals[k].name()).append(": ");
            String label = signals[k].label(raws[k]);
            if (label != null) {
                sb.append(label);
            } else {
                textNumber(sb, signals[k], raws[k], readable(signals[k], values[k]));
                if (!signals[k].unit().isEmpty()) sb.append(' ').append(signals[k].unit());
            }
        }
        return sb.append(')');
    }

    public StringBuilder appendError(CanFrame f, String error, StringBuilder sb) {
        if (json) {
            jsonHead(f, sb).append(",\"error\":");
            return jsonString(sb, error).append('}');
        }
        return CandumpFormat.appendLogLine(f, sb).append(" :: ").append(error);
    }

    private static StringBuilder jsonHead(CanFrame f, StringBuilder sb) {
        sb.append("{\"t\":");
        CandumpFormat.appendSeconds(f.timestampNanos(), sb).append(",\"bus\":");
        jsonString(sb, f.iface());
        return sb.append(",\"id\":").append(f.id());
    }

    /** Integer signals with integer factor and offset print as integers (exact for 64-bit raws); others as doubles. */
    static StringBuilder textNumber(StringBuilder sb, Signal s, long raw, double value) {
        if (s.valueType() == Signal.ValueType.INTEGER && isIntegral(s.factor()) && isIntegral(s.offset())) {
            if (s.factor() == 1 && s.offset() == 0) {
                return s.isSigned() || raw >= 0 ? sb.append(raw) : sb.append(Long.toUnsignedString(raw));
            }
            if (Math.abs(value) < 9.0e15) return sb.append((long) value);
        }
        if (Double.isNaN(value)) return sb.append("nan");
        if (Double.isInfinite(value)) return sb.append(value > 0 ? "inf" : "-inf");
        return sb.append(value);
    }

    private static StringBuilder jsonNumber(StringBuilder sb, Signal s, long raw, double value) {
        if (Double.isNaN(value)) return sb.append("\"nan\"");
        if (Double.isInfinite(value)) return sb.append(value > 0 ? "\"inf\"" : "\"-inf\"");
        return textNumber(sb, s, raw, value);
    }

    /**
     * For people, a scaled integer is shown at the resolution its factor and offset give (0.05 V → 2 decimals),
     * so 8273 * 0.05 prints 413.65, not 413.65000000000003. JSON keeps the full double.
     */
    static double readable(Signal s, double value) {
        if (s.valueType() != Signal.ValueType.INTEGER || Double.isNaN(value) || Double.isInfinite(value)) return value;
        int decimals = Math.max(decimals(s.factor()), decimals(s.offset()));
        if (decimals == 0 || decimals > 9 || Math.abs(value) > 1e12) return value;
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static int decimals(double d) {
        if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) return 0;
        return Math.max(0, java.math.BigDecimal.valueOf(d).stripTrailingZeros().scale());
    }

    private static boolean isIntegral(double d) { return d == Math.rint(d) && Math.abs(d) < 1e15; }

    static StringBuilder jsonString(StringBuilder sb, String s) {
        dev.vgate.agent.daemon.Json.string(sb, s);
        return sb;
    }
}
