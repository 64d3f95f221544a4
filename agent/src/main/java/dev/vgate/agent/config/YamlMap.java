package dev.vgate.agent.config;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads from one YAML mapping, remembering which keys were read so that {@link #finish()} can name
 * the unknown ones. A value of the wrong type is recorded as a problem naming the field path and its line,
 * and the read returns the default so that one pass collects every problem.
 */
final class YamlMap {
    private final String path;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Map<String, Boolean> read = new LinkedHashMap<>();
    private final List<String> problems;
    private final Path baseDir;

    private YamlMap(String path, MappingNode node, List<String> problems, Path baseDir) {
        this.path = path;
        this.problems = problems;
        this.baseDir = baseDir;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problems.add(field("?") + ": keys must be plain names" + line(t.getKeyNode()));
                continue;
            }
            if (entries.putIfAbsent(key.getValue(), t) != null) {
                problems.add(field(key.getValue()) + ": set twice" + line(key));
            }
        }
    }

    /** Reads the document's root node, which must be a mapping. */
    static YamlMap root(Node node, List<String> problems, Path baseDir) {
        if (node instanceof MappingNode m) return new YamlMap("", m, problems, baseDir);
        problems.add("the file must be a mapping of field names to values" + line(node));
        return new YamlMap("", new MappingNode(Tag.MAP, List.of(), org.snakeyaml.engine.v2.common.FlowStyle.AUTO),
                problems, baseDir);
    }

    /** The full path of a key in this mapping, e.g. {@code buses[1].dbc}. */
    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    /** Records a problem about one of this mapping's keys. */
    void problem(String key, String message) {
        NodeTuple t = entries.get(key);
        problems.add(field(key) + ": " + message + (t == null ? "" : line(t.getValueNode())));
    }

    String string(String key) {
        return scalar(key, s -> s);
    }

    String string(String key, String def) {
        String v = string(key);
        return v == null ? def : v;
    }

    Duration duration(String key, Duration def) {
        Duration v = scalar(key, ConfigValues::parseDuration);
        return v == null ? def : v;
    }

    long size(String key, long def) {
        Long v = scalar(key, ConfigValues::parseSize);
        return v == null ? def : v;
    }

    int integer(String key, int def) {
        Long v = integerOrNull(key);
        if (v == null) return def;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            problem(key, "number out of range: " + v);
            return def;
        }
        return v.intValue();
    }

    double decimal(String key, double def) {
        Double v = scalar(key, text -> {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number, got '" + text + "'");
            }
        });
        return v == null ? def : v;
    }

    boolean bool(String key, boolean def) {
        Node n = value(key);
        if (n == null) return def;
        if (n instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) return Boolean.parseBoolean(s.getValue());
        problem(key, "expected true or false");
        return def;
    }

    /** A path, resolved against the config file's folder when relative. */
    Path path(String key) {
        return scalar(key, this::resolve);
    }

    Path path(String key, Path def) {
        Path v = path(key);
        return v == null ? def : v;
    }

    /** One path or a list of paths. */
    List<Path> paths(String key) {
        return list(key, this::resolve);
    }

    /** One string or a list of strings. */
    List<String> strings(String key) {
        return list(key, s -> s);
    }

    /** A nested mapping, or null when absent. */
    YamlMap map(String key) {
        Node n = value(key);
        if (n == null) return null;
        if (n instanceof MappingNode m) return new YamlMap(field(key), m, problems, baseDir);
        problem(key, "expected a section of fields");
        return null;
    }

    /** A list of mappings (e.g. {@code buses}); absent gives an empty list. */
    List<YamlMap> maps(String key) {
        Node n = value(key);
        List<YamlMap> out = new ArrayList<>();
        if (n == null) return out;
        if (!(n instanceof SequenceNode seq)) {
            problem(key, "expected a list");
            return out;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String itemPath = field(key) + "[" + i + "]";
            if (item instanceof MappingNode m) out.add(new YamlMap(itemPath, m, problems, baseDir));
            else problems.add(itemPath + ": expected a section of fields" + line(item));
        }
        return out;
    }

    /** A list of lists of strings (e.g. argv lists); absent gives an empty list. */
    List<List<String>> stringLists(String key) {
        Node n = value(key);
        List<List<String>> out = new ArrayList<>();
        if (n == null) return out;
        if (!(n instanceof SequenceNode seq)) {
            problem(key, "expected a list of commands, each a list of arguments");
            return out;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            List<String> argv = scalars(field(key) + "[" + i + "]", seq.getValue().get(i), s -> s);
            if (argv != null) out.add(argv);
        }
        return out;
    }

    /** Raw scalar items of a list, with their paths, for values with their own syntax (id filters). */
    List<Map.Entry<String, ScalarNode>> scalarItems(String key) {
        Node n = value(key);
        List<Map.Entry<String, ScalarNode>> out = new ArrayList<>();
        if (n == null) return out;
        List<Node> items = n instanceof SequenceNode seq ? seq.getValue() : List.of(n);
        for (int i = 0; i < items.size(); i++) {
            String itemPath = n instanceof SequenceNode ? field(key) + "[" + i + "]" : field(key);
            if (items.get(i) instanceof ScalarNode s) out.add(Map.entry(itemPath, s));
            else problems.add(itemPath + ": expected a single value" + line(items.get(i)));
        }
        return out;
    }

    /** Reports every key that no read asked for, with the nearest known name as a hint. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (read.containsKey(e.getKey())) continue;
            String hint = Spelling.nearest(e.getKey(), read.keySet());
            problems.add(field(e.getKey()) + ": unknown field" + (hint == null ? "" : " (did you mean " + hint + "?)")
                    + line(e.getValue().getKeyNode()));
        }
    }

    static String line(Node n) {
        return n.getStartMark().map(m -> " (line " + (m.getLine() + 1) + ")").orElse("");
    }

    private Long integerOrNull(String key) {
        Node n = value(key);
        if (n == null) return null;
        if (n instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
            try {
                return ConfigValues.parseInteger(s.getValue());
            } catch (NumberFormatException e) {
                problem(key, "number out of range: " + s.getValue());
                return null;
            }
        }
        problem(key, "expected a whole number");
        return null;
    }

    private Path resolve(String text) {
        try {
            Path p = Path.of(text);
            return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: '" + text + "'");
        }
    }

    private <T> T scalar(String key, Function<String, T> convert) {
        Node n = value(key);
        if (n == null) return null;
        if (!(n instanceof ScalarNode s)) {
            problem(key, "expected a single value, not a list or section");
            return null;
        }
        try {
            return convert.apply(s.getValue());
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    private <T> List<T> list(String key, Function<String, T> convert) {
        Node n = value(key);
        if (n == null) return new ArrayList<>();
        List<T> out = scalars(field(key), n, convert);
        return out == null ? new ArrayList<>() : out;
    }

    private <T> List<T> scalars(String itemPath, Node n, Function<String, T> convert) {
        List<Node> items = n instanceof SequenceNode seq ? seq.getValue() : List.of(n);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = n instanceof SequenceNode ? itemPath + "[" + i + "]" : itemPath;
            if (!(items.get(i) instanceof ScalarNode s) || Tag.NULL.equals(s.getTag())) {
                problems.add(p + ": expected a single value" + line(items.get(i)));
                continue;
            }
            try {
                out.add(convert.apply(s.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add(p + ": " + e.getMessage() + line(s));
            }
        }
        return out;
    }

    /** The value node of a key, marking it read; null when absent or YAML null ({@code key:} with no value). */
    private Node value(String key) {
        read.put(key, Boolean.TRUE);
        NodeTuple t = entries.get(key);
        if (t == null) return null;
        Node v = t.getValueNode();
        return v instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) ? null : v;
    }
}
