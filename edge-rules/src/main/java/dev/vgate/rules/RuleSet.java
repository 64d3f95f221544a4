package dev.vgate.rules;

import dev.vgate.input.BoundedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A validated rules file bound to a DBC: every signal resolved, every action frame encoded. Immutable. */
public final class RuleSet {
    private final String source;
    private final RuleDbc dbc;
    private final List<Rule> rules;
    private final Map<String, Geofence> geofences;
    private final String positionLat, positionLon;
    private final long memoryBytes;

    RuleSet(String source, RuleDbc dbc, List<Rule> rules, Map<String, Geofence> geofences, String positionLat, String positionLon,
            long memoryBytes) {
        this.memoryBytes = memoryBytes;
        this.source = source;
        this.dbc = dbc;
        this.rules = List.copyOf(rules);
        this.geofences = Map.copyOf(geofences);
        this.positionLat = positionLat;
        this.positionLon = positionLon;
    }

    /** Largest rules file read (docs/security.md#limits). */
    public static final int MAX_FILE_BYTES = 1 << 20;

    /**
     * Default {@link #memoryBytes()} budget: an engine's preallocated windows and rate-limit rings. The unit's
     * heap is 96 MiB; the shipped rules need about 0.2 MiB.
     */
    public static final long DEFAULT_MEMORY_BUDGET = 8L << 20;

    public static RuleSet load(Path file, RuleDbc dbc) throws RulesException {
        return load(file, dbc, DEFAULT_MEMORY_BUDGET);
    }

    /**
     * Loads and validates a rules file; refuses it when one engine for it would preallocate more than
     * {@code memoryBudget} bytes (computed from the file, before anything of that size is allocated).
     */
    public static RuleSet load(Path file, RuleDbc dbc, long memoryBudget) throws RulesException {
        String text;
        try {
            text = BoundedFiles.readUtf8(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new RulesException(file + ": cannot read rules file: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), dbc, memoryBudget);
    }

    public static RuleSet parse(String yaml, String sourceName, RuleDbc dbc) throws RulesException {
        return parse(yaml, sourceName, dbc, DEFAULT_MEMORY_BUDGET);
    }

    public static RuleSet parse(String yaml, String sourceName, RuleDbc dbc, long memoryBudget) throws RulesException {
        return new RulesFileLoader(sourceName, dbc, memoryBudget).load(yaml);
    }

    /** The rule set vgate ships, written against the demo DBC (dev/vgate/dbc/demo/vgate-demo.dbc). */
    public static RuleSet defaults(RuleDbc dbc) throws RulesException {
        return parse(defaultRulesText(), "default-rules.yaml", dbc);
    }

    public static String defaultRulesText() {
        try (var in = RuleSet.class.getResourceAsStream("default-rules.yaml")) {
            if (in == null) throw new IllegalStateException("default-rules.yaml missing from the edge-rules jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read default-rules.yaml from the edge-rules jar", e);
        }
    }

    public String source() { return source; }
    public List<Rule> rules() { return rules; }
    public Map<String, Geofence> geofences() { return geofences; }
    public RuleDbc dbc() { return dbc; }

    /**
     * Heap one {@link RuleEngine} for these rules preallocates: sliding-window rings, rate-limit rings, per-rule and
     * per-signal state. Computed at load from the file; the same number whoever loads it (check or run).
     */
    public long memoryBytes() { return memoryBytes; }

    /** The engine's per-signal state (values, receive times, the rule and window indexes). */
    static long signalStateBytes(int signalCount) { return 4L * (16 + 8L * signalCount) + 256; }

    public Rule rule(String name) {
        for (Rule r : rules) if (r.name().equals(name)) return r;
        return null;
    }

    ConditionCompiler newCompiler() { return new ConditionCompiler(dbc, geofences, positionLat, positionLon); }

    /** A compiler that validates and sizes conditions without allocating their windows' rings. */
    ConditionCompiler newSizingCompiler() { return new ConditionCompiler(dbc, geofences, positionLat, positionLon, false); }
}
