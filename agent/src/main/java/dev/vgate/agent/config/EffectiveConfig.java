package dev.vgate.agent.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a configuration as {@code field.path = value} lines named like the file's fields, for the start-up
 * log. {@link Secret}s print masked; durations print in the file's units.
 */
final class EffectiveConfig {
    /** Record components whose Java name differs from the file's field. */
    private static final Map<String, String> FIELD_NAMES = Map.of("iface", "interface");

    private EffectiveConfig() {}

    static List<String> lines(VgateConfig config) {
        List<String> out = new ArrayList<>();
        walk("", config, out);
        return out;
    }

    private static void walk(String path, Object value, List<String> out) {
        if (value instanceof BootControl b) out.add(path + ".backend = " + b.backend());
        if (value instanceof Record r && !isValue(value)) {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                if (r instanceof VgateConfig && rc.getName().equals("source")) continue;
                String name = FIELD_NAMES.getOrDefault(rc.getName(), snake(rc.getName()));
                walk(path.isEmpty() ? name : path + "." + name, component(r, rc), out);
            }
        } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Record
                && !isValue(list.get(0))) {
            for (int i = 0; i < list.size(); i++) walk(path + "[" + i + "]", list.get(i), out);
        } else if (!(value instanceof BootControl)) {
            out.add(path + " = " + text(value));
        }
    }

    /** Records that print as one value rather than as a section of fields. */
    private static boolean isValue(Object v) {
        return v instanceof Secret || v instanceof IdRange;
    }

    private static String text(Object v) {
        if (v == null) return "(none)";
        if (v instanceof Duration d) return ConfigValues.formatDuration(d);
        if (v instanceof Enum<?> e) return e.name().toLowerCase(java.util.Locale.ROOT);
        return v.toString(); // Secret.toString() masks
    }

    private static Object component(Record r, RecordComponent rc) {
        try {
            return rc.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + rc.getName(), e);
        }
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
            else sb.append(ch);
        }
        return sb.toString();
    }
}
