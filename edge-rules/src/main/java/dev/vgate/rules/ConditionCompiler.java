package dev.vgate.rules;

import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;
import dev.vgate.rules.expr.Ast;
import dev.vgate.rules.expr.Durations;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a parsed condition into {@link Nodes} against a DBC: resolves signal names and value-table labels,
 * checks units and types, and creates the sliding windows the window functions need (shared per signal and
 * window length). One compiler per engine instance, because windows hold per-engine state.
 */
final class ConditionCompiler {
    /** Samples assumed per second for a message without GenMsgCycleTime, to size window rings. */
    private static final int DEFAULT_CYCLE_MS = 10;
    private static final int MAX_WINDOW_SAMPLES = 1 << 16;

    private final RuleDbc dbc;
    private final Map<String, Geofence> fences;
    private final String positionLat, positionLon;
    private final Map<String, SlidingWindow> windows = new LinkedHashMap<>();
    private final Map<SlidingWindow, String> windowUnits = new IdentityHashMap<>();
    /** False when compiling only to validate and size a rules file: windows get minimal rings, their planned size is summed. */
    private final boolean allocate;
    private long windowBytes;
    /** Signals referenced by the conditions compiled since the last {@link #takeReferenced()}. */
    private Map<Integer, Signal> referenced = new TreeMap<>();
    private boolean timed;

    ConditionCompiler(RuleDbc dbc, Map<String, Geofence> fences, String positionLat, String positionLon) {
        this(dbc, fences, positionLat, positionLon, true);
    }

    ConditionCompiler(RuleDbc dbc, Map<String, Geofence> fences, String positionLat, String positionLon, boolean allocate) {
        this.allocate = allocate;
        this.dbc = dbc;
        this.fences = fences;
        this.positionLat = positionLat;
        this.positionLon = positionLon;
    }

    /** Typed numeric node: its unit (null when not checkable) and the plain signal it reads, if it is one. */
    private record Typed(Nodes.Num node, String unit, Signal signal) {}

    Nodes.Bool compile(Ast e) throws CompileException {
        if (e instanceof Ast.Binary b) {
            switch (b.op()) {
                case "and": case "or": {
                    List<Nodes.Bool> parts = new ArrayList<>();
                    flatten(b.op(), e, parts);
                    Nodes.Bool[] arr = parts.toArray(new Nodes.Bool[0]);
                    return b.op().equals("and") ? new Nodes.And(arr) : new Nodes.Or(arr);
                }
                case ">": case ">=": case "<": case "<=": case "==": case "!=":
                    return comparison(b);
                default:
                    throw new CompileException(b.pos(), "expected a condition, found an arithmetic expression ('" + b.op() + "'); compare it with a value");
            }
        }
        if (e instanceof Ast.Unary u && u.op().equals("not")) return new Nodes.Not(compile(u.operand()));
        if (e instanceof Ast.Call c) {
            switch (c.function()) {
                case "stale": return stale(c);
                case "inside": return geofence(c, false);
                case "outside": return geofence(c, true);
                default: break;
            }
        }
        if (e instanceof Ast.Ident id) {
            Signal s = dbc.signal(id.name());
            if (s != null) {
                // a bare signal is a flag: true when not 0
                referenced.put(s.index(), s);
                return new Nodes.Compare(Nodes.Compare.NE, new Nodes.SignalValue(s.index()), new Nodes.Const(0));
            }
        }
        Typed t = numeric(e);
        throw new CompileException(e.pos(), "expected a condition (a comparison, stale(), inside(), outside(), and/or/not), found a value"
                + (t.signal() != null ? " (signal " + t.signal().name() + ")" : ""));
    }

    private void flatten(String op, Ast e, List<Nodes.Bool> out) throws CompileException {
        if (e instanceof Ast.Binary b && b.op().equals(op)) {
            flatten(op, b.left(), out);
            flatten(op, b.right(), out);
        } else {
            out.add(compile(e));
        }
    }

    private Nodes.Bool comparison(Ast.Binary b) throws CompileException {
        int op;
        switch (b.op()) {
            case ">": op = Nodes.Compare.GT; break;
            case ">=": op = Nodes.Compare.GE; break;
            case "<": op = Nodes.Compare.LT; break;
            case "<=": op = Nodes.Compare.LE; break;
            case "==": op = Nodes.Compare.EQ; break;
            default: op = Nodes.Compare.NE; break;
        }
        Typed l, r;
        if (isUnknownIdent(b.right())) {
            l = numeric(b.left());
            r = label(l, (Ast.Ident) b.right());
        } else if (isUnknownIdent(b.left())) {
            r = numeric(b.right());
            l = label(r, (Ast.Ident) b.left());
        } else {
            l = numeric(b.left());
            r = numeric(b.right());
        }
        checkUnits(r, l, b.right());
        checkUnits(l, r, b.left());
        return new Nodes.Compare(op, l.node(), r.node());
    }

    private boolean isUnknownIdent(Ast a) { return a instanceof Ast.Ident id && dbc.signal(id.name()) == null; }

    /** A value-table label on one side of a comparison with a signal: the label's physical value. */
    private Typed label(Typed other, Ast.Ident id) throws CompileException {
        Signal s = other.signal();
        if (s == null) throw unknownSignal(id);
        for (Map.Entry<Long, String> c : s.choices().entrySet()) {
            if (c.getValue().equals(id.name())) return new Typed(new Nodes.Const(s.toPhysical(c.getKey())), null, null);
        }
        if (s.choices().isEmpty()) throw unknownSignal(id);
        throw new CompileException(id.pos(), "'" + id.name() + "' is neither a signal nor a value of " + s.name()
                + " (values: " + String.join(", ", new TreeSet<>(s.choices().values())) + ")");
    }

    /** A literal's unit must match the other side's DBC unit, so "BMS_Temp > 60 V" is caught at start-up. */
    private static void checkUnits(Typed literalSide, Typed other, Ast literalAst) throws CompileException {
        if (!(literalSide.node() instanceof Nodes.Const) || other.unit() == null) return;
        String unit = literalAst instanceof Ast.Num n ? n.unit() : (literalAst instanceof Ast.Unary u && u.operand() instanceof Ast.Num n2 ? n2.unit() : null);
        if (unit == null) return;
        if (!Units.same(unit, other.unit())) {
            throw new CompileException(literalAst.pos(), "unit '" + unit + "' does not match "
                    + (other.signal() != null ? other.signal().name() + "'s DBC unit" : "the unit of the other side")
                    + " '" + other.unit() + "' (rules use the DBC's units, without conversion)");
        }
    }

    private Typed numeric(Ast e) throws CompileException {
        if (e instanceof Ast.Num n) {
            // "200ms" where a value is expected is almost always a misplaced debounce
            if ("ms".equals(n.unit()) || "min".equals(n.unit())) {
                throw new CompileException(n.pos(), "a duration (" + n.unit() + ") is not a value here; to debounce write '... for 200ms' at the end of the condition");
            }
            return new Typed(new Nodes.Const(n.value()), null, null);
        }
        if (e instanceof Ast.Ident id) {
            Signal s = dbc.signal(id.name());
            if (s == null) throw unknownSignal(id);
            referenced.put(s.index(), s);
            return new Typed(new Nodes.SignalValue(s.index()), s.unit() == null ? "" : s.unit(), s);
        }
        if (e instanceof Ast.Unary u) {
            if (u.op().equals("not")) throw new CompileException(u.pos(), "'not' applies to a condition, not to a value");
            Typed t = numeric(u.operand());
            if (t.node() instanceof Nodes.Const c) return new Typed(new Nodes.Const(-c.v), t.unit(), null);
            return new Typed(new Nodes.Neg(t.node()), t.unit(), null);
        }
        if (e instanceof Ast.Binary b) {
            switch (b.op()) {
                case "+": case "-": case "*": case "/": {
                    Typed l = numeric(b.left()), r = numeric(b.right());
                    return new Typed(new Nodes.Arith(b.op().charAt(0), l.node(), r.node()), null, null);
                }
                default:
                    throw new CompileException(b.pos(), "expected a value, found a condition ('" + b.op() + "')");
            }
        }
        Ast.Call c = (Ast.Call) e;
        switch (c.function()) {
            case "drop": return new Typed(new Nodes.Drop(window(c)), "%", null);
            case "rise": return new Typed(new Nodes.Rise(window(c)), "%", null);
            case "max": { SlidingWindow w = window(c); return new Typed(new Nodes.WindowMax(w), unitOf(w), null); }
            case "min": { SlidingWindow w = window(c); return new Typed(new Nodes.WindowMin(w), unitOf(w), null); }
            case "delta": { SlidingWindow w = window(c); return new Typed(new Nodes.Delta(w), unitOf(w), null); }
            case "rate": {
                SlidingWindow w = window(c);
                Ast.Num d = (Ast.Num) c.args().get(1);
                String per = d.value() == 1 ? d.unit() : Durations.format(w.windowNanos);
                return new Typed(new Nodes.Rate(w), unitOf(w) + "/" + per, null);
            }
            case "stale": case "inside": case "outside":
                throw new CompileException(c.pos(), c.function() + "() is a condition, not a value");
            default:
                throw new CompileException(c.pos(), "unknown function '" + c.function()
                        + "' (known: drop, rise, rate, delta, max, min, stale, inside, outside)");
        }
    }

    private String unitOf(SlidingWindow w) { return windowUnits.get(w); }

    /** (Signal, duration) arguments of a window function; one shared window per signal and length. */
    private SlidingWindow window(Ast.Call c) throws CompileException {
        if (c.args().size() != 2) throw new CompileException(c.pos(), c.function() + "() takes (signal, window), e.g. " + c.function() + "(ChargePower, 10s)");
        Signal s = signalArg(c, 0);
        long w = durationArg(c, 1);
        String key = s.name() + "@" + w;
        SlidingWindow sw = windows.get(key);
        if (sw == null) {
            Message m = s.message();
            int cycleMs = m != null && m.cycleTimeMs() > 0 ? m.cycleTimeMs() : DEFAULT_CYCLE_MS;
            long expected = w / 1_000_000L / cycleMs;
            int capacity = (int) Math.min(MAX_WINDOW_SAMPLES, 2 * expected + 16);
            windowBytes += SlidingWindow.bytesFor(capacity);
            sw = new SlidingWindow(s.index(), w, allocate ? capacity : 0);
            windows.put(key, sw);
            windowUnits.put(sw, s.unit() == null ? "" : s.unit());
        }
        return sw;
    }

    private Signal signalArg(Ast.Call c, int k) throws CompileException {
        Ast a = c.args().get(k);
        if (!(a instanceof Ast.Ident id)) throw new CompileException(a.pos(), "argument " + (k + 1) + " of " + c.function() + "() must be a signal name");
        Signal s = dbc.signal(id.name());
        if (s == null) throw unknownSignal(id);
        referenced.put(s.index(), s);
        return s;
    }

    private static long durationArg(Ast.Call c, int k) throws CompileException {
        Ast a = c.args().get(k);
        long n = a instanceof Ast.Num num ? Durations.toNanos(num.value(), num.unit()) : -1;
        if (n <= 0) throw new CompileException(a.pos(), "argument " + (k + 1) + " of " + c.function() + "() must be a positive duration such as 500ms, 10s or 1min");
        return n;
    }

    private Nodes.Bool stale(Ast.Call c) throws CompileException {
        if (c.args().size() != 2) throw new CompileException(c.pos(), "stale() takes (signal, timeout), e.g. stale(BMS_Temp, 500ms)");
        Signal s = signalArg(c, 0);
        long t = durationArg(c, 1);
        timed = true;
        return new Nodes.Stale(s.index(), t);
    }

    private Nodes.Bool geofence(Ast.Call c, boolean outside) throws CompileException {
        String fn = c.function();
        if (c.args().size() != 1 && c.args().size() != 3) {
            throw new CompileException(c.pos(), fn + "() takes (fence) or (fence, latitudeSignal, longitudeSignal)");
        }
        Ast a = c.args().get(0);
        if (!(a instanceof Ast.Ident id)) throw new CompileException(a.pos(), "argument 1 of " + fn + "() must be a geofence name");
        Geofence f = fences.get(id.name());
        if (f == null) throw new CompileException(a.pos(), "unknown geofence '" + id.name() + "'" + (fences.isEmpty() ? " (the file declares no geofences)" : " (declared: " + String.join(", ", new TreeSet<>(fences.keySet())) + ")"));
        Signal lat, lon;
        if (c.args().size() == 3) {
            lat = signalArg(c, 1);
            lon = signalArg(c, 2);
        } else {
            if (positionLat == null) throw new CompileException(c.pos(), fn + "(" + id.name() + ") needs position signals: declare 'position: {lat: ..., lon: ...}' or write " + fn + "(" + id.name() + ", LatSignal, LonSignal)");
            lat = dbc.signal(positionLat);
            lon = dbc.signal(positionLon);
            referenced.put(lat.index(), lat);
            referenced.put(lon.index(), lon);
        }
        return new Nodes.Inside(f, lat.index(), lon.index(), outside);
    }

    private CompileException unknownSignal(Ast.Ident id) {
        return new CompileException(id.pos(), dbc.unknownSignal(id.name()));
    }

    /** Signal indices referenced since the last call, and whether any of them was time-driven (stale). */
    List<Signal> takeReferenced() {
        List<Signal> r = List.copyOf(referenced.values());
        referenced = new TreeMap<>();
        return r;
    }

    boolean takeTimed() {
        boolean t = timed;
        timed = false;
        return t;
    }

    List<SlidingWindow> windows() { return List.copyOf(windows.values()); }

    /** What the windows compiled so far preallocate in an engine (whether or not this compiler allocated them). */
    long windowBytes() { return windowBytes; }
}
