package dev.vgate.agent.daemon;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A decoder manifest, the body of a {@code dbc-set} command: which DBC files decode which bus, with the files'
 * text.
 * <pre>
 * buses:
 *   powertrain:                 # a configured bus; buses not listed keep their DBCs
 *     - name: vgate-demo.dbc    # for messages
 *       text: |
 *         VERSION ""
 *         ...
 * </pre>
 */
final class DbcSet {
    private DbcSet() {}

    /** Parses the manifest and every DBC in it; the problems, one line each, as {@link LiveConfig.Invalid}. */
    static Map<String, List<DbcDatabase>> parse(byte[] body, String source, Set<String> configuredBuses) throws LiveConfig.Invalid {
        Object doc;
        try {
            doc = dev.vgate.input.SafeYaml.load(new String(body, java.nio.charset.StandardCharsets.UTF_8), source); // depth, alias and size limits
        } catch (YamlEngineException e) {
            throw new LiveConfig.Invalid(source + ": not valid YAML: " + dev.vgate.input.SafeYaml.describe(e));
        }
        if (!(doc instanceof Map<?, ?> top) || !(top.get("buses") instanceof Map<?, ?> buses) || buses.isEmpty() || top.size() != 1) {
            throw new LiveConfig.Invalid(source + ": expected 'buses:' mapping bus names to lists of {name, text} (and nothing else)");
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<DbcDatabase>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> b : buses.entrySet()) {
            String bus = String.valueOf(b.getKey());
            if (!configuredBuses.contains(bus)) {
                problems.add("buses." + bus + ": not a configured bus (" + String.join(", ", configuredBuses) + ")");
                continue;
            }
            if (!(b.getValue() instanceof List<?> files) || files.isEmpty()) {
                problems.add("buses." + bus + ": expected a non-empty list of {name, text}");
                continue;
            }
            List<DbcDatabase> dbs = new ArrayList<>();
            for (int k = 0; k < files.size(); k++) {
                String where = "buses." + bus + "[" + k + "]";
                if (!(files.get(k) instanceof Map<?, ?> f) || !(f.get("name") instanceof String name) || !(f.get("text") instanceof String text)
                        || f.size() != 2) {
                    problems.add(where + ": expected {name: FILE.dbc, text: ...}");
                    continue;
                }
                try {
                    dbs.add(DbcDatabase.parse(text, name));
                } catch (DbcException e) {
                    problems.add(where + " (" + name + "): " + e.getMessage());
                }
            }
            out.put(bus, dbs);
        }
        if (!problems.isEmpty()) throw new LiveConfig.Invalid(source + ": " + String.join("; ", problems));
        return out;
    }
}
