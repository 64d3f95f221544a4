package dev.vgate.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    private String text; // the YAML it was parsed from (set by parse)

    RuleSet(String source, RuleDbc dbc, List<Rule> rules, Map<String, Geofence> geofences, String positionLat, String positionLon) {
        this(source, dbc, rules, geofences, positionLat, positionLon, List.of());
    }

    RuleSet(String source, RuleDbc dbc, List<Rule> rules, Map<String, Geofence> geofences, String positionLat, String positionLon,
            List<Counter> counters) {
        this.counters = List.copyOf(counters);
        this.source = source;
        this.dbc = dbc;
        this.rules = List.copyOf(rules);
        this.geofences = Map.copyOf(geofences);
        this.positionLat = positionLat;
        this.positionLon = positionLon;
    }

    public static RuleSet load(Path file, RuleDbc dbc) throws RulesException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesException(file + ": cannot read rules file: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), dbc);
    }

    public static RuleSet parse(String yaml, String sourceName, RuleDbc dbc) throws RulesException {
        RuleSet set = new RulesFileLoader(sourceName, dbc).load(yaml);
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
}
