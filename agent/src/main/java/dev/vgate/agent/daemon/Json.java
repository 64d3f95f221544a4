package dev.vgate.agent.daemon;

import dev.vgate.rules.JsonString;

import java.util.Collection;
import java.util.Map;

/** A minimal JSON writer for status reports (maps, lists, strings, numbers, booleans, null). */
public final class Json {
    private Json() {}

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, 0, true);
        return sb.toString();
    }

    public static String writeCompact(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, 0, false);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v, int indent, boolean pretty) {
        if (v == null) sb.append("null");
        else if (v instanceof String s) string(sb, s);
        else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) string(sb, d.isNaN() ? "nan" : d > 0 ? "inf" : "-inf");
        else if (v instanceof Number || v instanceof Boolean) sb.append(v);
        else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                newline(sb, indent + 1, pretty);
                string(sb, String.valueOf(e.getKey()));
                sb.append(pretty ? ": " : ":");
                append(sb, e.getValue(), indent + 1, pretty);
            }
            if (!m.isEmpty()) newline(sb, indent, pretty);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) sb.append(pretty ? ", " : ",");
                first = false;
                append(sb, o, indent + 1, pretty);
            }
            sb.append(']');
        } else string(sb, v.toString());
    }

    private static void newline(StringBuilder sb, int indent, boolean pretty) {
        if (!pretty) return;
        sb.append('\n');
        for (int i = 0; i < indent; i++) sb.append("  ");
    }

    /** Appends {@code s} as a JSON string literal (also used by {@code vgate dbc decode --json} and {@code vgate telemetry decode --json}). */
    public static void string(StringBuilder sb, String s) {
        JsonString.append(sb, s);
    }
}
