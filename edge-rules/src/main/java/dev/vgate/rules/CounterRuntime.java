package dev.vgate.rules;

/** The run-time side of a {@link Counter} in one engine: primitive state, evaluated when its signals update. */
final class CounterRuntime {
    final Counter counter;
    private final Nodes.Bool condition; // may be null for SUM_RISES without 'while'
    private final int signalIndex;     // SUM_RISES
    boolean latched;                   // COUNT: the condition held at the last evaluation
    private double last = Double.NaN;  // SUM_RISES: the previous value

    CounterRuntime(Counter counter, Nodes.Bool condition) {
        this.counter = counter;
        this.condition = condition;
        this.signalIndex = counter.signal == null ? -1 : counter.signal.index();
    }

    /** Heap one counter takes in an engine: this object, its slot in the counters' values (rules_memory). */
    static long bytesFor(Counter c) { return 48 + 8; }

    void evaluate(EvalState s) {
        int k = counter.index();
        if (counter.kind() == Counter.Kind.COUNT) {
            boolean now = condition.test(s);
            if (now && !latched) s.counters[k] += 1;
            latched = now;
        } else {
            double v = s.values[signalIndex];
            if (Double.isNaN(v)) return;
            if (v > last && (condition == null || condition.test(s))) s.counters[k] += v - last;
            last = v; // NaN > x is false: the first value only sets the baseline
        }
    }
}
