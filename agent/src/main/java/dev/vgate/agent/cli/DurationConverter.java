package dev.vgate.agent.cli;

import picocli.CommandLine;

import java.time.Duration;

/** Parses durations as people write them on a command line: 500ms, 30s, 5m, 2h, or ISO-8601 (PT30S). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override public Duration convert(String s) {
        return parse(s);
    }

    public static Duration parse(String s) {
        String v = s.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) return Duration.parse(v);
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
            switch (v.charAt(v.length() - 1)) {
                case 's': return Duration.ofSeconds(n);
                case 'm': return Duration.ofMinutes(n);
                case 'h': return Duration.ofHours(n);
                case 'd': return Duration.ofDays(n);
                default: break;
            }
        } catch (RuntimeException e) {
            // fall through to the error below
        }
        throw new CommandLine.TypeConversionException("not a duration: '" + s + "' (use e.g. 500ms, 30s, 5m, 2h)");
    }
}
