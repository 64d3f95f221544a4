package dev.vgate.rules;

import java.util.Arrays;

/**
 * The engine's view of the bus: the latest value and receive time of every DBC signal (by
 * {@code Signal.index()}), and the clock as carried by the samples. Primitive arrays only.
 */
final class EvalState implements SignalValues {
    static final long NEVER = Long.MIN_VALUE;

    final double[] values;
    final long[] lastSeen;
    /** Values of the rules file's counters (by declaration order); persisted by the owner of the engine. */
    final double[] counters;
    /** Sample time of the evaluation in progress (monotonic: never goes back). */
    long now = NEVER;
    /** Time of the first sample: signals never seen count as stale from here. */
    long firstSample = NEVER;
    /** Time of the latest sample of any signal: "the bus is alive". */
    long lastSample = NEVER;

    EvalState(int signalCount) { this(signalCount, 0); }

    EvalState(int signalCount, int counterCount) {
        counters = new double[counterCount];
        values = new double[signalCount];
        lastSeen = new long[signalCount];
        Arrays.fill(values, Double.NaN);
        Arrays.fill(lastSeen, NEVER);
    }

    @Override public double value(int signalIndex) { return values[signalIndex]; }

    @Override public long lastUpdateNanos(int signalIndex) { return lastSeen[signalIndex]; }
}
