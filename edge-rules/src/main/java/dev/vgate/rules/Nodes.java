package dev.vgate.rules;

/**
 * Compiled condition trees. Each node reads the engine state's primitive arrays; nothing allocates.
 * A value that is not known yet (signal never seen, window not covered, division by zero) is NaN, and
 * every comparison with NaN is false: an unknown never fires a rule by itself.
 */
final class Nodes {
    private Nodes() {}

    abstract static class Num {
        abstract double value(EvalState s);
    }

    abstract static class Bool {
        abstract boolean test(EvalState s);

        /** Earliest sample time at which this node may change without any signal update; MAX_VALUE if never. */
        long deadline(EvalState s) { return Long.MAX_VALUE; }
    }

    static final class Const extends Num {
        final double v;
        Const(double v) { this.v = v; }
        @Override double value(EvalState s) { return v; }
    }

    static final class SignalValue extends Num {
        final int idx;
        SignalValue(int idx) { this.idx = idx; }
        @Override double value(EvalState s) { return s.values[idx]; }
    }

    static final class Neg extends Num {
        final Num a;
        Neg(Num a) { this.a = a; }
        @Override double value(EvalState s) { return -a.value(s); }
    }

    static final class Arith extends Num {
        final char op;
        final Num a, b;
        Arith(char op, Num a, Num b) { this.op = op; this.a = a; this.b = b; }
        @Override double value(EvalState s) {
            double x = a.value(s), y = b.value(s);
            switch (op) {
                case '+': return x + y;
                case '-': return x - y;
                case '*': return x * y;
                default: return y == 0 ? Double.NaN : x / y;
            }
        }
    }

    /** Percent drop of the current value below the window's maximum: (max - now) / max * 100; 0 when max &lt;= 0. */
    static final class Drop extends Num {
        final SlidingWindow w;
        Drop(SlidingWindow w) { this.w = w; }
        @Override double value(EvalState s) {
            double max = w.max(s.now);
            double cur = s.values[w.signalIndex];
            if (max <= 0) return 0;
            return (max - cur) / max * 100.0;
        }
    }

    /** Percent rise of the current value above the window's minimum: (now - min) / min * 100; NaN when min &lt;= 0. */
    static final class Rise extends Num {
        final SlidingWindow w;
        Rise(SlidingWindow w) { this.w = w; }
        @Override double value(EvalState s) {
            double min = w.min(s.now);
            double cur = s.values[w.signalIndex];
            if (!(min > 0)) return Double.NaN;
            return (cur - min) / min * 100.0;
        }
    }

    static final class WindowMax extends Num {
        final SlidingWindow w;
        WindowMax(SlidingWindow w) { this.w = w; }
        @Override double value(EvalState s) { return w.max(s.now); }
    }

    static final class WindowMin extends Num {
        final SlidingWindow w;
        WindowMin(SlidingWindow w) { this.w = w; }
        @Override double value(EvalState s) { return w.min(s.now); }
    }

    /** Change since the reference sample (the newest one at least a window old); NaN until the window is covered. */
    static final class Delta extends Num {
        final SlidingWindow w;
        Delta(SlidingWindow w) { this.w = w; }
        @Override double value(EvalState s) { return s.values[w.signalIndex] - w.referenceValue(s.now); }
    }

    /** Slope per window length between the reference sample and the latest value (e.g. degC per 1min). */
    static final class Rate extends Num {
        final SlidingWindow w;
        Rate(SlidingWindow w) { this.w = w; }
        @Override double value(EvalState s) {
            double ref = w.referenceValue(s.now);
            if (Double.isNaN(ref)) return Double.NaN;
            long span = s.lastSeen[w.signalIndex] - w.referenceTime();
            if (span <= 0) return Double.NaN;
            return (s.values[w.signalIndex] - ref) * ((double) w.windowNanos / span);
        }
    }

    /** max/min/spread across several values at this instant; unknown when any of them is unknown. */
    static final class Aggregate extends Num {
        static final int MAX = 0, MIN = 1, SPREAD = 2;
        final int kind;
        final Num[] parts;
        Aggregate(int kind, Num[] parts) { this.kind = kind; this.parts = parts; }
        @Override double value(EvalState s) {
            double hi = Double.NEGATIVE_INFINITY, lo = Double.POSITIVE_INFINITY;
            for (Num p : parts) {
                double v = p.value(s);
                if (Double.isNaN(v)) return Double.NaN;
                if (v > hi) hi = v;
                if (v < lo) lo = v;
            }
            return kind == MAX ? hi : kind == MIN ? lo : hi - lo;
        }
    }

    /** Time integral of a signal over the window (value × seconds, sample and hold); unknown until covered. */
    static final class Integral extends Num {
        final IntegralWindow w;
        Integral(IntegralWindow w) { this.w = w; }
        @Override double value(EvalState s) { return w.integral(s.now); }
    }

    /** The current value of a named counter (see {@link CounterRuntime}). */
    static final class CounterValue extends Num {
        final int idx;
        CounterValue(int idx) { this.idx = idx; }
        @Override double value(EvalState s) { return s.counters[idx]; }
    }

    static final class Compare extends Bool {
        static final int GT = 0, GE = 1, LT = 2, LE = 3, EQ = 4, NE = 5;
        final int op;
        final Num a, b;
        Compare(int op, Num a, Num b) { this.op = op; this.a = a; this.b = b; }
        @Override boolean test(EvalState s) {
            double x = a.value(s), y = b.value(s);
            switch (op) {
                case GT: return x > y;
                case GE: return x >= y;
                case LT: return x < y;
                case LE: return x <= y;
                case EQ: return x == y;
                // NaN != y would be true: an unknown value must not satisfy a condition
                default: return x != y && !Double.isNaN(x) && !Double.isNaN(y);
            }
        }
    }

    static final class And extends Bool {
        final Bool[] parts;
        And(Bool[] parts) { this.parts = parts; }
        @Override boolean test(EvalState s) {
            for (Bool p : parts) if (!p.test(s)) return false;
            return true;
        }
        @Override long deadline(EvalState s) {
            long d = Long.MAX_VALUE;
            for (Bool p : parts) d = Math.min(d, p.deadline(s));
            return d;
        }
    }

    static final class Or extends Bool {
        final Bool[] parts;
        Or(Bool[] parts) { this.parts = parts; }
        @Override boolean test(EvalState s) {
            for (Bool p : parts) if (p.test(s)) return true;
            return false;
        }
        @Override long deadline(EvalState s) {
            long d = Long.MAX_VALUE;
            for (Bool p : parts) d = Math.min(d, p.deadline(s));
            return d;
        }
    }

    static final class Not extends Bool {
        final Bool a;
        Not(Bool a) { this.a = a; }
        @Override boolean test(EvalState s) { return !a.test(s); }
        @Override long deadline(EvalState s) { return a.deadline(s); }
    }

    /**
     * True when the signal has had no update for longer than the timeout while the bus is alive (some other
     * sample arrived within the timeout). A signal never seen counts from the first sample on the bus.
     */
    static final class Stale extends Bool {
        final int idx;
        final long timeout;
        Stale(int idx, long timeout) { this.idx = idx; this.timeout = timeout; }
        @Override boolean test(EvalState s) {
            if (s.firstSample == EvalState.NEVER) return false;
            long since = Math.max(s.lastSeen[idx], s.firstSample);
            return s.now - since > timeout && s.now - s.lastSample <= timeout;
        }
        @Override long deadline(EvalState s) {
            if (s.firstSample == EvalState.NEVER) return Long.MAX_VALUE;
            long d = Math.max(s.lastSeen[idx], s.firstSample) + timeout + 1;
            if (d > s.now) return d;
            // overdue: nothing to wait for once stale; otherwise (bus was dead) look again at the next sample
            return test(s) ? Long.MAX_VALUE : s.now + 1;
        }
    }

    static final class Inside extends Bool {
        final Geofence fence;
        final int latIdx, lonIdx;
        final boolean outside;
        Inside(Geofence fence, int latIdx, int lonIdx, boolean outside) {
            this.fence = fence;
            this.latIdx = latIdx;
            this.lonIdx = lonIdx;
            this.outside = outside;
        }
        @Override boolean test(EvalState s) {
            double lat = s.values[latIdx], lon = s.values[lonIdx];
            if (Double.isNaN(lat) || Double.isNaN(lon)) return false; // position unknown: neither inside nor outside
            return fence.contains(lat, lon) != outside;
        }
    }
}
