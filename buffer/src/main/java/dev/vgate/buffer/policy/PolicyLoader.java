package dev.vgate.buffer.policy;

import dev.vgate.input.SafeYaml;
import dev.vgate.input.BoundedFiles;
import dev.vgate.buffer.Priority;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a collection policy from YAML (docs/telemetry.md):
 * <pre>
 * version: 1
 * default: {mode: every, priority: normal}
 * rules:
 *   - match: "BMS_542.SocDisp"   # glob; "Msg.Sig" when it contains a dot, else the signal name
 *     bus: can0                  # optional
 *     mode: on-change            # off | every | on-change | max-rate | adaptive
 *     deadband: 0.5              # physical units (on-change, adaptive)
 *     interval_ms: 100           # max-rate; adaptive: the shortest interval
 *     max_interval_ms: 10000     # adaptive: the longest interval while the value stays in the deadband
 *     priority: alert            # alert | normal | bulk
 * </pre>
 * Everything is checked; unknown keys and impossible combinations are errors naming the rule and field.
 */
public final class PolicyLoader {
    private static final Set<String> TOP_KEYS = Set.of("version", "default", "rules");
    private static final Set<String> RULE_KEYS = Set.of("match", "bus", "mode", "deadband", "interval_ms", "max_interval_ms", "priority");

    /** Largest policy file read (docs/security.md#limits). */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private PolicyLoader() {}

    public static CollectionPolicy load(Path file) throws PolicyException {
        String text;
        try {
            text = BoundedFiles.readUtf8(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static CollectionPolicy parse(String yaml, String sourceName) throws PolicyException {
        Object doc;
        try {
            doc = SafeYaml.load(yaml, sourceName);
        } catch (YamlEngineException e) {
            throw new PolicyException(sourceName + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map)) throw new PolicyException(sourceName + ": expected a mapping with 'version', 'default' and 'rules'");
        Map<?, ?> top = (Map<?, ?>) doc;
        checkKeys(top, TOP_KEYS, sourceName);
        Object version = top.get("version");
        if (!(version instanceof Integer) || (Integer) version != 1) {
            throw new PolicyException(sourceName + ": 'version' must be 1, found " + version);
        }
        SignalPolicy def = SignalPolicy.EVERY_NORMAL;
        if (top.containsKey("default")) def = policy(top.get("default"), sourceName + ": default", false);
        List<PolicyRule> rules = new ArrayList<>();
        Object rulesNode = top.get("rules");
        if (rulesNode != null) {
            if (!(rulesNode instanceof List)) throw new PolicyException(sourceName + ": 'rules' must be a list");
            int i = 0;
            for (Object r : (List<?>) rulesNode) {
                i++;
                String where = sourceName + ": rule " + i;
                if (!(r instanceof Map)) throw new PolicyException(where + ": expected a mapping");
                Map<?, ?> m = (Map<?, ?>) r;
                Object match = m.get("match");
                if (!(match instanceof String) || ((String) match).isBlank()) throw new PolicyException(where + ": 'match' (a signal name glob) is required");
                where = where + " (" + match + ")";
                Object bus = m.get("bus");
                if (bus != null && !(bus instanceof String)) throw new PolicyException(where + ": 'bus' must be a string like can0");
                rules.add(PolicyRule.of(where, (String) match, (String) bus, policy(m, where, true)));
            }
        }
        return new CollectionPolicy(def, rules, sourceName);
    }

    private static SignalPolicy policy(Object node, String where, boolean isRule) throws PolicyException {
        if (!(node instanceof Map)) throw new PolicyException(where + ": expected a mapping");
        Map<?, ?> m = (Map<?, ?>) node;
        checkKeys(m, RULE_KEYS, where);
        if (!isRule && (m.containsKey("match") || m.containsKey("bus"))) throw new PolicyException(where + ": 'match' and 'bus' belong in rules, not the default");
        Object modeNode = m.get("mode");
        if (!(modeNode instanceof String)) throw new PolicyException(where + ": 'mode' is required (off, every, on-change, max-rate, adaptive)");
        Mode mode = Mode.parse((String) modeNode);
        if (mode == null) throw new PolicyException(where + ": mode '" + modeNode + "' is not one of off, every, on-change, max-rate, adaptive");
        Priority priority = Priority.NORMAL;
        Object p = m.get("priority");
        if (p != null) {
            try {
                priority = Priority.valueOf(String.valueOf(p).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(where + ": priority '" + p + "' is not one of alert, normal, bulk");
            }
        }
        double deadband = number(m, "deadband", where, 0);
        if (deadband < 0 || Double.isNaN(deadband)) throw new PolicyException(where + ": 'deadband' must be >= 0, found " + deadband);
        long interval = millis(m, "interval_ms", where);
        long maxInterval = millis(m, "max_interval_ms", where);
        switch (mode) {
            case MAX_RATE:
                if (interval <= 0) throw new PolicyException(where + ": mode max-rate needs 'interval_ms' > 0");
                forbid(m, where, mode, "deadband", "max_interval_ms");
                break;
            case ADAPTIVE:
                if (maxInterval <= 0) throw new PolicyException(where + ": mode adaptive needs 'max_interval_ms' > 0");
                if (interval > maxInterval) throw new PolicyException(where + ": 'interval_ms' " + interval + " is above 'max_interval_ms' " + maxInterval);
                break;
            case ON_CHANGE:
                forbid(m, where, mode, "interval_ms", "max_interval_ms");
                break;
            default:
                forbid(m, where, mode, "deadband", "interval_ms", "max_interval_ms");
        }
        return new SignalPolicy(mode, priority, deadband, interval * 1000, maxInterval * 1000);
    }

    /** Longest interval accepted: a day (the policy works in nanoseconds, so this also keeps the arithmetic in range). */
    static final long MAX_INTERVAL_MS = 86_400_000L;

    private static long millis(Map<?, ?> m, String key, String where) throws PolicyException {
        double v = number(m, key, where, 0);
        if (!(v >= 0 && v <= MAX_INTERVAL_MS) || v != Math.rint(v)) {
            throw new PolicyException(where + ": '" + key + "' must be a whole number of ms from 0 to " + MAX_INTERVAL_MS + " (a day), found " + m.get(key));
        }
        return (long) v;
    }

    private static void forbid(Map<?, ?> m, String where, Mode mode, String... keys) throws PolicyException {
        for (String k : keys) if (m.containsKey(k)) throw new PolicyException(where + ": '" + k + "' has no meaning for mode " + mode.yamlName());
    }

    private static double number(Map<?, ?> m, String key, String where, double dflt) throws PolicyException {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Number)) throw new PolicyException(where + ": '" + key + "' must be a number, found '" + v + "'");
        return ((Number) v).doubleValue();
    }

    private static void checkKeys(Map<?, ?> m, Set<String> allowed, String where) throws PolicyException {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) throw new PolicyException(where + ": unknown field '" + k + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
    }
}
