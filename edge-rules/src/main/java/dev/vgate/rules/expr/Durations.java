package dev.vgate.rules.expr;

/** Duration units of the rules language: ms, s, min, h. */
public final class Durations {
    private Durations() {}

    /** Nanoseconds of {@code value unit}, or -1 when the unit is not a duration unit. */
    public static long toNanos(double value, String unit) {
        if (unit == null) return -1;
        double scale;
        switch (unit) {
            case "ms": scale = 1e6; break;
            case "s": scale = 1e9; break;
            case "min": scale = 60e9; break;
            case "h": scale = 3600e9; break;
            default: return -1;
        }
        return Math.round(value * scale);
    }

    /**
     * Parses a duration written as in the rules language ("200ms", "10 s", "1min"); throws with the reason.
     */
    public static long parse(String text) throws ExprSyntaxException {
        String t = text.trim();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
        if (i == 0) throw new ExprSyntaxException(1, "expected a duration such as 200ms, 10s, 1min or 2h, found '" + text + "'");
        double v;
        try {
            v = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new ExprSyntaxException(1, "bad number in duration '" + text + "'");
        }
        long n = toNanos(v, t.substring(i).trim());
        if (n < 0) throw new ExprSyntaxException(i + 1, "expected a duration unit ms, s, min or h in '" + text + "'");
        return n;
    }

    /** "200ms", "10s", "1min" for messages. */
    public static String format(long nanos) {
        if (nanos % 3_600_000_000_000L == 0 && nanos != 0) return nanos / 3_600_000_000_000L + "h";
        if (nanos % 60_000_000_000L == 0 && nanos != 0) return nanos / 60_000_000_000L + "min";
        if (nanos % 1_000_000_000L == 0 && nanos != 0) return nanos / 1_000_000_000L + "s";
        if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + "ms";
        return nanos + "ns";
    }
}
