package dev.vgate.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a {@link RuleSet} on every decoded sample, on the thread that received the frame, and calls the
 * {@link ActionSink} at once when a rule fires or clears. Single-threaded by contract (one engine per
 * receiving thread); rules are precompiled and indexed by signal, windows are preallocated rings, so
 * {@link #evaluate} allocates nothing. Time is the samples' timestamps (kernel receive time live, the
 * recording's time in a replay), so the engine never reads a clock.
 */
public final class RuleEngine {
    private static final RuleRuntime[] NO_RULES = new RuleRuntime[0];
    private static final SlidingWindow[] NO_WINDOWS = new SlidingWindow[0];
    private static final IntegralWindow[] NO_INTEGRALS = new IntegralWindow[0];
    private static final CounterRuntime[] NO_COUNTERS = new CounterRuntime[0];

    private final RuleSet ruleSet;
    private final EvalState state;
    private final RuleRuntime[] rules;
    private final RuleRuntime[][] rulesBySignal;
    private final SlidingWindow[][] windowsBySignal;
    private final IntegralWindow[][] integralsBySignal;
    private final CounterRuntime[] counterRuntimes;
    private final CounterRuntime[][] countersBySignal;
    private final List<IntegralWindow> integrals;
    private final RuleRuntime[] timed;
    private final List<SlidingWindow> windows;
    private long nextDeadline = Long.MAX_VALUE;
    private String lastIface = "";

    public RuleEngine(RuleSet ruleSet) {
        this.ruleSet = ruleSet;
        int n = ruleSet.dbc().signalCount();
        this.state = new EvalState(n, ruleSet.counters().size());
        ConditionCompiler compiler = ruleSet.newCompiler();
        List<List<CounterRuntime>> counterLists = new ArrayList<>();
        for (int k = 0; k < n; k++) counterLists.add(new ArrayList<>());
        counterRuntimes = new CounterRuntime[ruleSet.counters().size()];
        for (Counter c : ruleSet.counters()) {
            try {
                Nodes.Bool cond = c.condition == null ? null : compiler.compile(c.condition.expr());
                counterRuntimes[c.index()] = new CounterRuntime(c, cond);
            } catch (CompileException e) {
                throw new IllegalStateException("counter '" + c.name() + "' no longer compiles: " + e.getMessage(), e);
            }
            compiler.takeReferenced();
            compiler.takeTimed();
            for (dev.vgate.dbc.Signal sig : c.signals()) counterLists.get(sig.index()).add(counterRuntimes[c.index()]);
        }
        countersBySignal = new CounterRuntime[n][];
        for (int k = 0; k < n; k++) countersBySignal[k] = counterLists.get(k).isEmpty() ? NO_COUNTERS : counterLists.get(k).toArray(NO_COUNTERS);
        List<List<RuleRuntime>> bySignal = new ArrayList<>();
        for (int k = 0; k < n; k++) bySignal.add(new ArrayList<>());
        List<RuleRuntime> all = new ArrayList<>(), timedList = new ArrayList<>();
        for (Rule r : ruleSet.rules()) {
            RuleRuntime rt;
            try {
                Nodes.Bool when = compiler.compile(r.whenAst.expr());
                Nodes.Bool clear = r.clearAst == null ? null : compiler.compile(r.clearAst.expr());
                rt = new RuleRuntime(r, when, clear, compiler.takeTimed());
            } catch (CompileException e) {
                // the rule set compiled when it was loaded against the same DBC
                throw new IllegalStateException(r + " no longer compiles: " + e.getMessage(), e);
            }
            for (dev.vgate.dbc.Signal sig : compiler.takeReferenced()) bySignal.get(sig.index()).add(rt);
            all.add(rt);
            if (rt.timed) timedList.add(rt);
        }
        rules = all.toArray(NO_RULES);
        timed = timedList.toArray(NO_RULES);
        rulesBySignal = new RuleRuntime[n][];
        for (int k = 0; k < n; k++) rulesBySignal[k] = bySignal.get(k).isEmpty() ? NO_RULES : bySignal.get(k).toArray(NO_RULES);
        windows = compiler.windows();
        windowsBySignal = new SlidingWindow[n][];
        for (int k = 0; k < n; k++) {
            List<SlidingWindow> ws = new ArrayList<>();
            for (SlidingWindow w : windows) if (w.signalIndex == k) ws.add(w);
            windowsBySignal[k] = ws.isEmpty() ? NO_WINDOWS : ws.toArray(NO_WINDOWS);
        }
        integrals = compiler.integrals();
        integralsBySignal = new IntegralWindow[n][];
        for (int k = 0; k < n; k++) {
            List<IntegralWindow> ws = new ArrayList<>();
            for (IntegralWindow w : integrals) if (w.signalIndex == k) ws.add(w);
            integralsBySignal[k] = ws.isEmpty() ? NO_INTEGRALS : ws.toArray(NO_INTEGRALS);
        }
    }

    /** Takes one sample: updates the signal's value and windows, evaluates the rules that read it and any timer due. */
    public void evaluate(Sample sample, ActionSink sink) {
        EvalState s = state;
        long t = sample.timestampNanos;
        if (t < s.now) t = s.now; // time never goes back: a late sample counts as now
        s.now = t;
        s.lastSample = t;
        if (s.firstSample == EvalState.NEVER) busStarted(t, sample.iface, sink);
        lastIface = sample.iface;
        int idx = sample.signalIndex;
        boolean timerTouched = false;
        if (idx >= 0 && idx < s.values.length) {
            double v = sample.value;
            s.values[idx] = v;
            s.lastSeen[idx] = t;
            for (SlidingWindow w : windowsBySignal[idx]) w.add(t, v);
            for (IntegralWindow w : integralsBySignal[idx]) w.add(t, v);
            for (CounterRuntime c : countersBySignal[idx]) c.evaluate(s); // before the rules that read them
            for (RuleRuntime r : rulesBySignal[idx]) {
                r.evaluate(s, sink, sample.iface);
                timerTouched |= r.timed;
            }
        }
        runTimers(sink, sample.iface, timerTouched);
    }

    /**
     * A frame arrived that carries no signal the engine knows (unknown id, wrong length): the bus is alive and
     * time moves on, which is what stale() needs.
     */
    public void frameSeen(long timestampNanos, String iface, ActionSink sink) {
        EvalState s = state;
        long t = Math.max(timestampNanos, s.now);
        s.now = t;
        s.lastSample = t;
        if (s.firstSample == EvalState.NEVER) busStarted(t, iface, sink);
        lastIface = iface;
        runTimers(sink, iface, false);
    }

    /**
     * Advances the clock without a sample, so debounces end and stale() fires even when the bus goes quiet
     * (stale() itself stays false while no frame at all arrives). Call it on the engine's thread, e.g. from
     * the receive loop's poll timeout.
     */
    public void tick(long nowNanos, ActionSink sink) {
        if (nowNanos > state.now) state.now = nowNanos;
        if (state.firstSample == EvalState.NEVER) return;
        runTimers(sink, lastIface, false);
    }

    /** First sample ever: timed rules get their first deadlines (a signal that never shows up goes stale). */
    private void busStarted(long t, String iface, ActionSink sink) {
        state.firstSample = t;
        for (RuleRuntime r : timed) r.evaluate(state, sink, iface);
        long d = Long.MAX_VALUE;
        for (RuleRuntime r : timed) d = Math.min(d, r.deadline);
        nextDeadline = d;
    }

    private void runTimers(ActionSink sink, String iface, boolean touched) {
        long now = state.now;
        if (now >= nextDeadline) {
            for (RuleRuntime r : timed) if (now >= r.deadline) r.evaluate(state, sink, iface);
            touched = true;
        }
        if (touched) {
            long d = Long.MAX_VALUE;
            for (RuleRuntime r : timed) d = Math.min(d, r.deadline);
            nextDeadline = d;
        }
    }

    public RuleSet ruleSet() { return ruleSet; }

    /** The latest values (read on the engine's thread). */
    public SignalValues values() { return state; }

    /** Whether the rule is active (fired and not cleared); for tests and the engine's own thread. */
    public boolean isActive(String ruleName) {
        for (RuleRuntime r : rules) if (r.rule.name().equals(ruleName)) return r.state >= RuleRuntime.ACTIVE;
        throw new IllegalArgumentException("no rule named '" + ruleName + "'");
    }

    /** Fired/cleared/suppressed counts per rule, for health reporting. */
    public List<RuleCounters> counters() {
        List<RuleCounters> out = new ArrayList<>();
        for (RuleRuntime r : rules) out.add(new RuleCounters(r.rule.name(), r.firedCount, r.clearedCount, r.suppressedCount));
        return out;
    }

    /** Samples dropped from windows whose rings were too small for the signal's rate (window then shorter). */
    public long windowOverflows() {
        long n = 0;
        for (SlidingWindow w : windows) n += w.overflows();
        for (IntegralWindow w : integrals) n += w.overflows();
        return n;
    }

    /** The counters' values and latches, by name, to persist (read on the engine's thread or under its lock). */
    public java.util.Map<String, Counter.State> counterStates() {
        java.util.Map<String, Counter.State> m = new java.util.LinkedHashMap<>();
        for (CounterRuntime c : counterRuntimes) m.put(c.counter.name(), new Counter.State(state.counters[c.counter.index()], c.latched));
        return m;
    }

    /**
     * Restores persisted counters (before the first sample): names this rule set does not declare are ignored,
     * counters it declares but {@code saved} lacks start at 0. Returns how many were restored.
     */
    public int restoreCounters(java.util.Map<String, Counter.State> saved) {
        int n = 0;
        for (CounterRuntime c : counterRuntimes) {
            Counter.State st = saved.get(c.counter.name());
            if (st == null || Double.isNaN(st.value()) || Double.isInfinite(st.value())) continue;
            state.counters[c.counter.index()] = st.value();
            c.latched = st.latched();
            n++;
        }
        return n;
    }

    public record RuleCounters(String rule, long fired, long cleared, long suppressed) {}
}
