package dev.vgate.command.exec;

import dev.vgate.input.SafeYaml;
import dev.vgate.input.BoundedFiles;
import dev.vgate.command.CommandException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How CAN-level command types become frames, from YAML, so a vehicle team adapts them without code
 * (docs/commands.md#can-mapping):
 *
 * <pre>
 * dbc: classpath:dev/vgate/dbc/demo/vgate-demo.dbc   # or a path relative to this file
 * commands:
 *   climate:
 *     message: Climate_Command
 *     signals: {ClimateOn: 1, CabinSetpoint: "${setpoint}"}   # ${param} or ${param:default}
 *     repeat: 3          # frames to send (default 1)
 *     period_ms: 20      # between them (default 0)
 * </pre>
 * Every signal named must exist in the message; everything is checked at load time.
 */
public final class CanCommandMapping {
    public static final String DEFAULT_RESOURCE = "dev/vgate/command/default-command-mapping.yaml";
    private static final Pattern PARAM = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::([^}]*))?}");
    private static final Set<String> TOP = Set.of("dbc", "commands");
    private static final Set<String> ENTRY = Set.of("message", "signals", "repeat", "period_ms");

    /** A signal value: a constant (Number or label String) or a parameter with an optional default. */
    public record Value(Object constant, String param, String defaultValue) {
        public boolean isParam() { return param != null; }
    }

    /** One command type's frames. */
    public record Entry(String type, Message message, Map<String, Value> signals, int repeat, int periodMs) {}

    private final DbcDatabase dbc;
    private final Map<String, Entry> entries;

    private CanCommandMapping(DbcDatabase dbc, Map<String, Entry> entries) {
        this.dbc = dbc;
        this.entries = entries;
    }

    /** The DBC the frames are encoded with; null for {@link #none()}. */
    public DbcDatabase dbc() { return dbc; }

    public Map<String, Entry> entries() { return entries; }

    /** No CAN-level commands at all (a gateway without body control): those types are UNKNOWN_TYPE. */
    public static CanCommandMapping none() { return new CanCommandMapping(null, Map.of()); }

    /** The mapping shipped with vgate for the demo vehicle (vgate-demo.dbc). */
    public static CanCommandMapping defaults() throws CommandException {
        return parse(resource(DEFAULT_RESOURCE), null, "classpath:" + DEFAULT_RESOURCE);
    }

    public static CanCommandMapping load(Path file) throws CommandException {
        try {
            return parse(BoundedFiles.readUtf8(file, SafeYaml.MAX_CODE_POINTS), file.toAbsolutePath().getParent(), file.toString());
        } catch (IOException e) {
            throw new CommandException("cannot read command mapping " + file + ": " + e.getMessage(), e);
        }
    }

    public static CanCommandMapping parse(String yaml, Path baseDir, String label) throws CommandException {
        Object doc;
        try {
            doc = SafeYaml.load(yaml, label);
        } catch (YamlEngineException e) {
            throw new CommandException(label + ": invalid YAML: " + e.getMessage(), e);
        }
        Map<String, Object> top = map(doc, label, "the document", TOP);
        DbcDatabase dbc = loadDbc(string(top.get("dbc"), label, "dbc"), baseDir, label);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(top.get("commands"), label, "commands", null).entrySet()) {
            String type = e.getKey();
            String where = "commands." + type;
            Map<String, Object> m = map(e.getValue(), label, where, ENTRY);
            String msgName = string(m.get("message"), label, where + ".message");
            Message msg = dbc.messageByName(msgName);
            if (msg == null) throw new CommandException(label + ": " + where + ": no message '" + msgName + "' in the DBC");
            Map<String, Value> values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> s : map(m.get("signals"), label, where + ".signals", null).entrySet()) {
                if (msg.signals().stream().map(Signal::name).noneMatch(s.getKey()::equals)) {
                    throw new CommandException(label + ": " + where + ": message " + msgName + " has no signal '" + s.getKey() + "'");
                }
                values.put(s.getKey(), value(s.getValue(), label, where + ".signals." + s.getKey()));
            }
            int repeat = intIn(m.getOrDefault("repeat", 1), 1, 50, label, where + ".repeat");
            int period = intIn(m.getOrDefault("period_ms", 0), 0, 1000, label, where + ".period_ms");
            entries.put(type, new Entry(type, msg, Map.copyOf(values), repeat, period));
        }
        return new CanCommandMapping(dbc, Map.copyOf(entries));
    }

    private static Value value(Object o, String label, String where) throws CommandException {
        if (o instanceof Number) return new Value(o, null, null);
        if (o instanceof String) {
            Matcher mt = PARAM.matcher((String) o);
            if (mt.matches()) return new Value(null, mt.group(1), mt.group(2));
            if (((String) o).contains("${")) throw new CommandException(label + ": " + where + ": malformed parameter reference '" + o + "'");
            return new Value(o, null, null);
        }
        throw new CommandException(label + ": " + where + ": value must be a number, a label or ${param}");
    }

    private static DbcDatabase loadDbc(String ref, Path baseDir, String label) throws CommandException {
        try {
            if (ref.startsWith("classpath:")) return DbcDatabase.parse(resource(ref.substring("classpath:".length())), ref);
            Path p = baseDir == null ? Path.of(ref) : baseDir.resolve(ref);
            return DbcDatabase.load(p);
        } catch (DbcException e) {
            throw new CommandException(label + ": DBC " + ref + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) throws CommandException {
        try (InputStream in = CanCommandMapping.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new CommandException("resource " + name + " not found on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException("cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String label, String what, Set<String> allowed) throws CommandException {
        if (!(o instanceof Map)) throw new CommandException(label + ": " + what + " must be a mapping");
        Map<String, Object> m = (Map<String, Object>) o;
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) throw new CommandException(label + ": " + what + ": key " + k + " is not a string");
            if (allowed != null && !allowed.contains(k)) {
                throw new CommandException(label + ": unknown field '" + k + "' in " + what + " (allowed: " + new TreeSet<>(allowed) + ")");
            }
        }
        return m;
    }

    private static String string(Object o, String label, String what) throws CommandException {
        if (!(o instanceof String) || ((String) o).isEmpty()) throw new CommandException(label + ": " + what + " must be a non-empty string");
        return (String) o;
    }

    private static int intIn(Object o, int min, int max, String label, String what) throws CommandException {
        if (!(o instanceof Integer) || (Integer) o < min || (Integer) o > max) {
            throw new CommandException(label + ": " + what + " must be a whole number in " + min + ".." + max + ", got " + o);
        }
        return (Integer) o;
    }
}
