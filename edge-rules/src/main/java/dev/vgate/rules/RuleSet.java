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
    private final List<Counter> counters;
    private final long memoryBytes;
    private String text; // the YAML it was parsed from (set by parse)

    RuleSet(String source, RuleDbc dbc, List<Rule> rules, Map<String, Geofence> geofences, String positionLat, String positionLon) {
        this(source, dbc, rules, geofences, positionLat, positionLon, List.of(), 0);
    }

    RuleSet(String source, RuleDbc dbc, List<Rule> rules, Map<String, Geofence> geofences, String positionLat, String positionLon,
            List<Counter> counters, long memoryBytes) {
        this.counters = List.copyOf(counters);
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
     * heap is 96 MiB; the shipped rules need 0.86 MiB (901,344 bytes) against the demo DBC.
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
        return load(file, dbc, memoryBudget, 0);
    }

    /**
     * As {@link #load(Path, RuleDbc, long)}, with {@code captureRingBytes} of the budget taken by the telemetry
     * collectors' pre-trigger rings, which the rules' captures read (policy pre_trigger_samples; the daemon's
     * check and start pass it): the rules are refused when their engine and those rings together pass the budget.
     */
    public static RuleSet load(Path file, RuleDbc dbc, long memoryBudget, long captureRingBytes) throws RulesException {
        String text;
        try {
            text = BoundedFiles.readUtf8(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new RulesException(file + ": cannot read rules file: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), dbc, memoryBudget, captureRingBytes);
    }

    public static RuleSet parse(String yaml, String sourceName, RuleDbc dbc) throws RulesException {
        return parse(yaml, sourceName, dbc, DEFAULT_MEMORY_BUDGET);
    }

    public static RuleSet parse(String yaml, String sourceName, RuleDbc dbc, long memoryBudget) throws RulesException {
        return parse(yaml, sourceName, dbc, memoryBudget, 0);
    }

    public static RuleSet parse(String yaml, String sourceName, RuleDbc dbc, long memoryBudget, long captureRingBytes) throws RulesException {
        requireCaptureRingsWithin(captureRingBytes, memoryBudget, sourceName);
        RuleSet set = new RulesFileLoader(sourceName, dbc, memoryBudget, captureRingBytes).load(yaml);
        set.text = yaml;
        return set;
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

    /** The rule packs edge-rules ships (resources dev/vgate/rules/packs/NAME.yaml), enabled with {@code packs: [NAME]}. */
    public static final List<String> PACKS = List.of("ev-charging", "battery-health", "fleet-driving");

    /** A shipped pack's YAML, or null when there is no pack of that name. */
    public static String packText(String name) {
        if (!PACKS.contains(name)) return null;
        try (var in = RuleSet.class.getResourceAsStream("packs/" + name + ".yaml")) {
            if (in == null) throw new IllegalStateException("rule pack " + name + " missing from the edge-rules jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read rule pack " + name + " from the edge-rules jar", e);
        }
    }

    public String source() { return source; }

    /** The rules file's text, to load it again against other DBCs (a live DBC-set update). */
    public String text() { return text; }
    public List<Rule> rules() { return rules; }
    public Map<String, Geofence> geofences() { return geofences; }
    public RuleDbc dbc() { return dbc; }

    /**
     * Heap one {@link RuleEngine} for these rules preallocates: sliding-window and integral rings, rate-limit rings,
     * per-rule, per-counter and per-signal state. Computed at load from the file; the same number whoever loads it
     * (check, run or a live rules update). The capture pre-trigger rings are not in it (the bus collectors own them),
     * but their bytes count against the same budget when passed to {@link #load(Path, RuleDbc, long, long)}.
     */
    public long memoryBytes() { return memoryBytes; }

    /**
     * Refuses capture pre-trigger rings that alone pass the rules' memory budget (also without a rules file: the
     * collectors allocate them anyway); {@code source} names what is refused.
     */
    public static void requireCaptureRingsWithin(long captureRingBytes, long memoryBudget, String source) throws RulesException {
        if (captureRingBytes > memoryBudget) {
            throw new RulesException(source + ": the capture pre-trigger rings (telemetry policy pre_trigger_samples) take " + captureRingBytes
                    + " bytes, over the budget of " + memoryBudget + " bytes (rules_memory)");
        }
    }

    /** The engine's per-signal state (values, receive times, the rule, window, integral and counter indexes). */
    static long signalStateBytes(int signalCount) { return 6L * (16 + 8L * signalCount) + 256; }

    /** The file's counters, in declaration order (their index is the position here). */
    public List<Counter> counters() { return counters; }

    public Rule rule(String name) {
        for (Rule r : rules) if (r.name().equals(name)) return r;
        return null;
    }

    ConditionCompiler newCompiler() {
        ConditionCompiler c = new ConditionCompiler(dbc, geofences, positionLat, positionLon);
        for (Counter k : counters) c.declare(k);
        return c;
    }

    /** A compiler that validates and sizes conditions without allocating their windows' rings. */
    ConditionCompiler newSizingCompiler() {
        ConditionCompiler c = new ConditionCompiler(dbc, geofences, positionLat, positionLon, false);
        for (Counter k : counters) c.declare(k);
        return c;
    }
}
