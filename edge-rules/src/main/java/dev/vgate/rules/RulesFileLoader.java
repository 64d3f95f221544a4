package dev.vgate.rules;

import dev.vgate.input.SafeYaml;
import dev.vgate.dbc.DbcEncodeException;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;
import dev.vgate.rules.expr.Ast;
import dev.vgate.rules.expr.ConditionParser;
import dev.vgate.rules.expr.Durations;
import dev.vgate.rules.expr.ExprSyntaxException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a rules file (YAML) and validates it completely in one place: unknown fields, names, conditions
 * against the DBC, units, durations, and every CAN action encoded once. The first problem is thrown as a
 * {@link RuleValidationException} naming the rule and the field.
 */
final class RulesFileLoader {
    private static final Set<String> TOP_FIELDS = Set.of("version", "packs", "position", "geofences", "counters", "rules");
    private static final Set<String> COUNTER_FIELDS = Set.of("name", "count", "sum_rises", "while");
    private static final Set<String> RULE_FIELDS = Set.of("name", "description", "when", "clear", "rate_limit", "actions", "clear_actions");
    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern FENCE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern FAULT_CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{0,31}");
    private static final int MAX_REPEAT = 100;

    /** Most points in one geofence polygon (each sample's containment test walks them all). */
    static final int MAX_POLYGON_POINTS = 1000;

    private final String source;
    private final RuleDbc dbc;
    private final long memoryBudget;
    private final long captureRingBytes; // the telemetry collectors' pre-trigger rings, in the same budget
    private String rule; // the rule being read, for messages

    RulesFileLoader(String source, RuleDbc dbc, long memoryBudget, long captureRingBytes) {
        this.source = source;
        this.dbc = dbc;
        this.memoryBudget = memoryBudget;
        this.captureRingBytes = captureRingBytes;
    }

    RuleSet load(String yaml) throws RulesException {
        Object doc;
        try {
            doc = SafeYaml.load(yaml, source);
        } catch (YamlEngineException e) {
            throw new RulesException(source + ": not valid YAML: " + SafeYaml.describe(e), e);
        }
        if (!(doc instanceof Map<?, ?> file)) throw fail("rules", "expected a mapping with a 'rules:' list at the top of the file");
        checkFields(file, TOP_FIELDS, "");
        Map<?, ?> top = withPacks(file);
        Object version = top.get("version");
        if (version != null && !Integer.valueOf(1).equals(version)) throw fail("version", "only version 1 is supported, found " + version);

        String lat = null, lon = null;
        if (top.get("position") != null) {
            Map<?, ?> pos = map(top.get("position"), "position");
            checkFields(pos, Set.of("lat", "lon"), "position.");
            lat = string(pos.get("lat"), "position.lat", true);
            lon = string(pos.get("lon"), "position.lon", true);
            if (dbc.signal(lat) == null) throw fail("position.lat", dbc.unknownSignal(lat));
            if (dbc.signal(lon) == null) throw fail("position.lon", dbc.unknownSignal(lon));
        }
        Map<String, Geofence> fences = geofences(top.get("geofences"));

        Object rulesObj = top.get("rules");
        if (!(rulesObj instanceof List<?> list) || list.isEmpty()) throw fail("rules", "expected a non-empty list of rules");
        RuleSet shell = new RuleSet(source, dbc, List.of(), fences, lat, lon);
        ConditionCompiler compiler = shell.newSizingCompiler();
        List<Counter> counters = counters(top.get("counters"), compiler);
        long counterBytes = 0;
        for (Counter c : counters) counterBytes += CounterRuntime.bytesFor(c);
        checkBudget(compiler, counterBytes, 0, "counters");
        long ruleBytes = 0;
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int k = 0; k < list.size(); k++) {
            rule = "#" + (k + 1);
            Map<?, ?> r = map(list.get(k), "rules[" + k + "]");
            String name = string(r.get("name"), "name", true);
            if (!RULE_NAME.matcher(name).matches()) throw fail("name", "'" + name + "' is not a valid rule name (letters, digits, '-', '_', '.'; at most 64)");
            rule = origin.containsKey(r) ? name + " from pack " + origin.get(r) : name;
            if (!names.add(name)) throw fail("name", "duplicate rule name (rule names are unique: alerts and events carry them)");
            checkFields(r, RULE_FIELDS, "");
            String when = string(r.get("when"), "when", true);
            Map<Integer, Signal> referenced = new java.util.TreeMap<>();
            Ast.Condition whenAst = condition(compiler, when, "when", referenced);
            String clear = string(r.get("clear"), "clear", false);
            Ast.Condition clearAst = clear == null ? null : condition(compiler, clear, "clear", referenced);
            Rule.RateLimit limit = rateLimit(r.get("rate_limit"));
            List<Action> actions = actions(r.get("actions"), "actions", true);
            List<Action> clearActions = actions(r.get("clear_actions"), "clear_actions", false);
            String description = string(r.get("description"), "description", false);
            rule = name;
            rules.add(new Rule(k, name, description == null ? "" : description, when, whenAst, clear, clearAst, limit, actions, clearActions,
                    List.copyOf(referenced.values())));
            ruleBytes += RuleRuntime.bytesFor(rules.get(rules.size() - 1));
            checkBudget(compiler, counterBytes, ruleBytes, "rule " + rule);
        }
        long memory = compiler.windowBytes() + counterBytes + ruleBytes + RuleSet.signalStateBytes(dbc.signalCount());
        return new RuleSet(source, dbc, rules, fences, lat, lon, counters, memory);
    }

    /**
     * Refuses the file as soon as the engine memory planned so far passes the budget (nothing of that size has been
     * allocated: the sizing compiler only sums the rings). Windows include the integral windows and the counters' own.
     */
    private void checkBudget(ConditionCompiler compiler, long counterBytes, long ruleBytes, String what) throws RulesException {
        long total = compiler.windowBytes() + counterBytes + ruleBytes + captureRingBytes;
        if (total > memoryBudget) {
            throw new RulesException(source + ": " + what + " brings the rules' engine memory to " + total
                    + " bytes (windows " + compiler.windowBytes() + ", counters " + counterBytes + ", rule state and rate limits " + ruleBytes
                    + (captureRingBytes > 0 ? ", capture pre-trigger rings " + captureRingBytes : "")
                    + "), over the budget of " + memoryBudget + " bytes (rules_memory)");
        }
    }

    /** Which pack a rule's mapping came from (identity), for error messages. */
    private final Map<Object, String> origin = new java.util.IdentityHashMap<>();

    /**
     * The file with the shipped packs it names ({@code packs: [ev-charging, ...]}) merged in: their rules and
     * counters follow the file's own, geofences join (a name declared twice is an error), and a pack's
     * {@code position} is taken unless the file (or an earlier pack) names other signals.
     */
    private Map<?, ?> withPacks(Map<?, ?> file) throws RulesException {
        Object packs = file.get("packs");
        if (packs == null) return file;
        if (!(packs instanceof List<?> names) || names.isEmpty()) throw fail("packs", "expected a list of pack names (" + String.join(", ", RuleSet.PACKS) + ")");
        Map<String, Object> top = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : file.entrySet()) top.put(String.valueOf(e.getKey()), e.getValue());
        List<Object> rules = new ArrayList<>(file.get("rules") instanceof List<?> l ? l : List.of());
        List<Object> counters = new ArrayList<>(file.get("counters") instanceof List<?> l ? l : List.of());
        Map<Object, Object> fences = new LinkedHashMap<>(file.get("geofences") instanceof Map<?, ?> m ? m : Map.of());
        Object position = file.get("position");
        Set<String> seen = new HashSet<>();
        for (Object n : names) {
            String name = String.valueOf(n);
            if (!seen.add(name)) throw fail("packs", "pack '" + name + "' is listed twice");
            String text = RuleSet.packText(name);
            if (text == null) throw fail("packs", "unknown rule pack '" + name + "' (shipped: " + String.join(", ", RuleSet.PACKS) + ")");
            Object doc;
            try {
                doc = SafeYaml.load(text, name);
            } catch (YamlEngineException e) {
                throw new IllegalStateException("shipped rule pack " + name + " is not valid YAML", e);
            }
            Map<?, ?> pack = (Map<?, ?>) doc;
            if (pack.get("rules") instanceof List<?> l) for (Object r : l) { rules.add(r); origin.put(r, name); }
            if (pack.get("counters") instanceof List<?> l) counters.addAll(l);
            if (pack.get("geofences") instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (fences.containsKey(e.getKey())) throw fail("geofences." + e.getKey(), "declared by pack " + name + " and before it; rename one");
                    fences.put(e.getKey(), e.getValue());
                }
            }
            Object pp = pack.get("position");
            if (pp != null) {
                if (position == null) position = pp;
                else if (!position.equals(pp)) throw fail("position", "pack " + name + " reads position " + pp + ", the file " + position + "; keep one");
            }
        }
        top.remove("packs");
        top.put("rules", rules);
        if (!counters.isEmpty()) top.put("counters", counters);
        if (!fences.isEmpty()) top.put("geofences", fences);
        if (position != null) top.put("position", position);
        return top;
    }

    /** The {@code counters:} list; each becomes readable as counter(name) by the counters and rules after it. */
    private List<Counter> counters(Object o, ConditionCompiler compiler) throws RuleValidationException {
        List<Counter> out = new ArrayList<>();
        if (o == null) return out;
        if (!(o instanceof List<?> list)) throw fail("counters", "expected a list of counters (- name: ..., count: ... | sum_rises: ...)");
        Set<String> names = new HashSet<>();
        for (int k = 0; k < list.size(); k++) {
            String f = "counters[" + k + "]";
            Map<?, ?> m = map(list.get(k), f);
            checkFields(m, COUNTER_FIELDS, f + ".");
            String name = string(m.get("name"), f + ".name", true);
            if (!FENCE_NAME.matcher(name).matches()) throw fail(f + ".name", "'" + name + "' is not a valid counter name (letters, digits, '_')");
            if (!names.add(name)) throw fail(f + ".name", "duplicate counter name '" + name + "'");
            f = "counters." + name;
            boolean count = m.containsKey("count"), sum = m.containsKey("sum_rises");
            if (count == sum) throw fail(f, "expected exactly one of 'count' (a condition) or 'sum_rises' (a signal)");
            Map<Integer, Signal> referenced = new java.util.TreeMap<>();
            Counter c;
            if (count) {
                if (m.containsKey("while")) throw fail(f + ".while", "'while' belongs to sum_rises; write the gate into the 'count' condition");
                String text = string(m.get("count"), f + ".count", true);
                Ast.Condition cond = condition(compiler, text, f + ".count", referenced);
                if (cond.forNanos() > 0) throw fail(f + ".count", "a counter's condition takes no 'for' debounce");
                c = new Counter(k, name, Counter.Kind.COUNT, cond, null, List.copyOf(referenced.values()));
            } else {
                String sig = string(m.get("sum_rises"), f + ".sum_rises", true);
                Signal s = dbc.signal(sig);
                if (s == null) throw fail(f + ".sum_rises", dbc.unknownSignal(sig));
                referenced.put(s.index(), s);
                Ast.Condition gate = null;
                String w = string(m.get("while"), f + ".while", false);
                if (w != null) {
                    gate = condition(compiler, w, f + ".while", referenced);
                    if (gate.forNanos() > 0) throw fail(f + ".while", "a counter's condition takes no 'for' debounce");
                }
                c = new Counter(k, name, Counter.Kind.SUM_RISES, gate, s, List.copyOf(referenced.values()));
            }
            compiler.declare(c);
            out.add(c);
        }
        return out;
    }

    private Ast.Condition condition(ConditionCompiler compiler, String text, String field, Map<Integer, Signal> referenced) throws RuleValidationException {
        try {
            Ast.Condition c = ConditionParser.parse(text);
            compiler.compile(c.expr());
            for (Signal s : compiler.takeReferenced()) referenced.put(s.index(), s);
            compiler.takeTimed();
            return c;
        } catch (ExprSyntaxException | CompileException e) {
            throw fail(field, e.getMessage() + " in '" + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "'");
        }
    }

    private Map<String, Geofence> geofences(Object o) throws RuleValidationException {
        Map<String, Geofence> out = new LinkedHashMap<>();
        if (o == null) return out;
        Map<?, ?> m = map(o, "geofences");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = String.valueOf(e.getKey());
            String f = "geofences." + name;
            if (!FENCE_NAME.matcher(name).matches()) throw fail(f, "'" + name + "' is not a valid geofence name (letters, digits, '_')");
            Map<?, ?> g = map(e.getValue(), f);
            checkFields(g, Set.of("circle", "polygon"), f + ".");
            if (g.size() != 1) throw fail(f, "expected exactly one of 'circle' or 'polygon'");
            if (g.containsKey("circle")) {
                Map<?, ?> c = map(g.get("circle"), f + ".circle");
                checkFields(c, Set.of("lat", "lon", "radius"), f + ".circle.");
                double lat = number(c.get("lat"), f + ".circle.lat", -90, 90);
                double lon = number(c.get("lon"), f + ".circle.lon", -180, 180);
                double radius = meters(c.get("radius"), f + ".circle.radius");
                out.put(name, new Geofence.Circle(name, lat, lon, radius));
            } else {
                Object p = g.get("polygon");
                if (!(p instanceof List<?> pts) || pts.size() < 3) throw fail(f + ".polygon", "expected a list of at least 3 [lat, lon] points");
                if (pts.size() > MAX_POLYGON_POINTS) throw fail(f + ".polygon", pts.size() + " points, more than the limit of " + MAX_POLYGON_POINTS);
                double[] lats = new double[pts.size()], lons = new double[pts.size()];
                for (int k = 0; k < pts.size(); k++) {
                    String pf = f + ".polygon[" + k + "]";
                    if (!(pts.get(k) instanceof List<?> pt) || pt.size() != 2) throw fail(pf, "expected [lat, lon]");
                    lats[k] = number(pt.get(0), pf + "[0]", -90, 90);
                    lons[k] = number(pt.get(1), pf + "[1]", -180, 180);
                }
                out.put(name, new Geofence.Polygon(name, lats, lons));
            }
        }
        return out;
    }

    private Rule.RateLimit rateLimit(Object o) throws RuleValidationException {
        if (o == null) return null;
        Map<?, ?> m = map(o, "rate_limit");
        checkFields(m, Set.of("max", "per"), "rate_limit.");
        int max = (int) number(m.get("max"), "rate_limit.max", 1, 1_000_000);
        if (max != number(m.get("max"), "rate_limit.max", 1, 1_000_000)) throw fail("rate_limit.max", "expected a whole number");
        long per = duration(m.get("per"), "rate_limit.per", true);
        return new Rule.RateLimit(max, per);
    }

    private List<Action> actions(Object o, String field, boolean required) throws RuleValidationException {
        if (o == null) {
            if (required) throw fail(field, "a rule needs at least one action");
            return List.of();
        }
        if (!(o instanceof List<?> list)) throw fail(field, "expected a list of actions (- can: ..., - alert: ..., - fault: ..., - collect: ...)");
        if (required && list.isEmpty()) throw fail(field, "a rule needs at least one action");
        List<Action> out = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            String f = field + "[" + k + "]";
            Map<?, ?> m = map(list.get(k), f);
            if (m.size() != 1) throw fail(f, "expected exactly one of can, alert, fault, capture, collect");
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            String kind = String.valueOf(e.getKey());
            String kf = f + "." + kind;
            switch (kind) {
                case "can": out.add(canAction(map(e.getValue(), kf), kf)); break;
                case "alert": out.add(alertAction(map(e.getValue(), kf), kf)); break;
                case "fault": out.add(faultAction(map(e.getValue(), kf), kf)); break;
                case "collect": out.add(collectAction(map(e.getValue(), kf), kf, "pre", "post")); break;
                case "capture": out.add(collectAction(map(e.getValue(), kf), kf, "before", "after")); break;
                default: throw fail(f, "unknown action '" + kind + "' (known: can, alert, fault, capture, collect)");
            }
        }
        return out;
    }

    private Action.SendCan canAction(Map<?, ?> m, String f) throws RuleValidationException {
        checkFields(m, Set.of("message", "signals", "repeat", "period"), f + ".");
        String name = string(m.get("message"), f + ".message", true);
        Message msg = dbc.message(name);
        if (msg == null) throw fail(f + ".message", dbc.unknownMessage(name));
        Map<String, Object> values = new LinkedHashMap<>();
        if (m.get("signals") != null) {
            Map<?, ?> sigs = map(m.get("signals"), f + ".signals");
            for (Map.Entry<?, ?> e : sigs.entrySet()) {
                String sname = String.valueOf(e.getKey());
                String sf = f + ".signals." + sname;
                Signal sig = null;
                for (Signal s : msg.signals()) if (s.name().equals(sname)) sig = s;
                if (sig == null) {
                    List<String> known = new ArrayList<>();
                    for (Signal s : msg.signals()) known.add(s.name());
                    throw fail(sf, "message " + name + " has no signal '" + sname + "' (signals: " + String.join(", ", known) + ")");
                }
                Object v = e.getValue();
                if (v instanceof String label) {
                    if (!sig.choices().containsValue(label)) {
                        throw fail(sf, "'" + label + "' is not a value of " + sname
                                + (sig.choices().isEmpty() ? " (it has no value table; give a number)" : " (values: " + String.join(", ", new TreeSet<>(sig.choices().values())) + ")"));
                    }
                } else if (!(v instanceof Number)) {
                    throw fail(sf, "expected a number or a value-table label, found " + describe(v));
                }
                values.put(sname, v);
            }
        }
        byte[] payload;
        try {
            payload = dbc.encode(msg, values);
        } catch (DbcEncodeException e) {
            throw fail(f + ".signals", "message " + name + " does not encode: " + e.getMessage());
        } catch (RuntimeException e) {
            throw fail(f + ".signals", "message " + name + " does not encode: " + e);
        }
        int repeat = m.get("repeat") == null ? 1 : (int) number(m.get("repeat"), f + ".repeat", 1, MAX_REPEAT);
        long period = duration(m.get("period"), f + ".period", false);
        if (repeat > 1 && period <= 0) throw fail(f + ".period", "repeat " + repeat + " needs a period, e.g. 'period: 10ms'");
        if (period > 0 && period < 1_000_000L) throw fail(f + ".period", "period below 1ms floods the bus");
        return new Action.SendCan(msg, values, payload, repeat, period, dbc.messageBus(name));
    }

    private Action.RaiseAlert alertAction(Map<?, ?> m, String f) throws RuleValidationException {
        checkFields(m, Set.of("severity", "message"), f + ".");
        String sev = string(m.get("severity"), f + ".severity", true);
        Action.Severity severity;
        try {
            severity = Action.Severity.valueOf(sev.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fail(f + ".severity", "'" + sev + "' is not a severity (info, warning, critical)");
        }
        String message = string(m.get("message"), f + ".message", false);
        return new Action.RaiseAlert(severity, message == null ? "" : message);
    }

    private Action.RaiseFault faultAction(Map<?, ?> m, String f) throws RuleValidationException {
        checkFields(m, Set.of("code", "description"), f + ".");
        String code = string(m.get("code"), f + ".code", true);
        if (!FAULT_CODE.matcher(code).matches()) throw fail(f + ".code", "'" + code + "' is not a fault code (upper-case letters, digits, '-', '_'; e.g. P0A7E)");
        String d = string(m.get("description"), f + ".description", false);
        return new Action.RaiseFault(code, d == null ? "" : d);
    }

    /** {@code capture: {policy, before, after}}, or its older spelling {@code collect: {policy, pre, post}}. */
    private Action.SwitchCollection collectAction(Map<?, ?> m, String f, String preKey, String postKey) throws RuleValidationException {
        checkFields(m, Set.of("policy", preKey, postKey), f + ".");
        String policy = string(m.get("policy"), f + ".policy", true);
        long pre = duration(m.get(preKey), f + "." + preKey, false);
        long post = duration(m.get(postKey), f + "." + postKey, false);
        if (pre == 0 && post == 0) throw fail(f, "give '" + preKey + "' and/or '" + postKey + "' (how long before and after the event to capture)");
        return new Action.SwitchCollection(policy, Math.max(0, pre), Math.max(0, post));
    }

    // ---- typed field access; every failure names the field

    private void checkFields(Map<?, ?> m, Set<String> allowed, String prefix) throws RuleValidationException {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw fail(prefix + k, "unknown field (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    private Map<?, ?> map(Object o, String field) throws RuleValidationException {
        if (o instanceof Map<?, ?> m) return m;
        throw fail(field, "expected a mapping, found " + describe(o));
    }

    private String string(Object o, String field, boolean required) throws RuleValidationException {
        if (o == null) {
            if (required) throw fail(field, "missing");
            return null;
        }
        if (!(o instanceof String s)) throw fail(field, "expected text, found " + describe(o));
        if (s.isBlank()) throw fail(field, "empty");
        return s.trim();
    }

    private double number(Object o, String field, double min, double max) throws RuleValidationException {
        if (!(o instanceof Number n)) throw fail(field, o == null ? "missing" : "expected a number, found " + describe(o));
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) throw fail(field, v + " is not in " + min + ".." + max);
        return v;
    }

    private long duration(Object o, String field, boolean required) throws RuleValidationException {
        if (o == null) {
            if (required) throw fail(field, "missing (a duration such as 10ms, 30s, 1min)");
            return 0;
        }
        if (!(o instanceof String s)) throw fail(field, "expected a duration with its unit (10ms, 30s, 1min), found " + describe(o));
        try {
            long n = Durations.parse(s);
            if (n <= 0) throw fail(field, "must be positive");
            return n;
        } catch (ExprSyntaxException e) {
            throw fail(field, e.getMessage().replaceFirst("^at column \\d+: ", ""));
        }
    }

    private double meters(Object o, String field) throws RuleValidationException {
        if (o instanceof Number n && n.doubleValue() > 0) return n.doubleValue();
        if (o instanceof String s) {
            String t = s.trim();
            try {
                if (t.endsWith("km")) return positive(Double.parseDouble(t.substring(0, t.length() - 2).trim()) * 1000, field);
                if (t.endsWith("m")) return positive(Double.parseDouble(t.substring(0, t.length() - 1).trim()), field);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw fail(field, "expected a positive distance such as 150m or 1.5km, found " + describe(o));
    }

    private double positive(double v, String field) throws RuleValidationException {
        if (!(v > 0)) throw fail(field, "must be positive");
        return v;
    }

    private static String describe(Object o) {
        if (o == null) return "nothing";
        if (o instanceof Map) return "a mapping";
        if (o instanceof List) return "a list";
        if (o instanceof String) return "'" + o + "'";
        return o.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + o;
    }

    private RuleValidationException fail(String field, String reason) {
        return new RuleValidationException(source, rule, field, reason);
    }
}
