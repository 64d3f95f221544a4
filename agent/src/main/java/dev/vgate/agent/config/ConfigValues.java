package dev.vgate.agent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text forms of durations ({@code 30s}) and byte sizes ({@code 256MiB}) used in the config file. */
public final class ConfigValues {
    static final String DURATION_FORMS = "a duration such as 500ms, 30s, 5min, 2h or 7d";
    static final String SIZE_FORMS = "a size in bytes such as 1048576, 64KiB, 256MiB or 2GiB";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|min|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB|TiB)?");

    private ConfigValues() {}

    /** Parses {@code 500ms}, {@code 30s}, {@code 5min}, {@code 2h}, {@code 7d}; a bare number has no unit and is refused. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("expected " + DURATION_FORMS + ", got '" + text + "'");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The shortest exact text for a duration, in the units {@link #parseDuration} reads. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "min";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }

    /** Parses a byte count with an optional binary unit: {@code 1048576}, {@code 64KiB}, {@code 256MiB}. */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("expected " + SIZE_FORMS + ", got '" + text + "'");
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("size too large: '" + text + "'");
        return n << shift;
    }

    /** A byte count for humans: {@code 268435456 (256MiB)}. */
    static String formatSize(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        String exact = null;
        for (int i = units.length - 1; i >= 0 && exact == null; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes >= unit && bytes % unit == 0) exact = bytes / unit + units[i];
        }
        return exact == null ? Long.toString(bytes) : bytes + " (" + exact + ")";
    }

    /** Parses a decimal, 0x hexadecimal or 0o octal integer. */
    static long parseInteger(String text) {
        String t = text.trim().replace("_", "");
        String lower = t.toLowerCase(Locale.ROOT);
        boolean neg = lower.startsWith("-");
        String digits = neg || lower.startsWith("+") ? lower.substring(1) : lower;
        long v;
        if (digits.startsWith("0x")) v = Long.parseLong(digits.substring(2), 16);
        else if (digits.startsWith("0o")) v = Long.parseLong(digits.substring(2), 8);
        else v = Long.parseLong(digits);
        return neg ? -v : v;
    }
}
