package dev.vgate.demo;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;

import java.util.Arrays;

/** Min/max of every decoded signal of a run (a {@link SignalSink} keyed by the dense signal index). */
public final class DemoSummary implements SignalSink {
    private final DbcDatabase db;
    private final double[] min;
    private final double[] max;
    private final long[] count;
    private long values;

    public DemoSummary(DbcDatabase db) {
        this.db = db;
        int n = db.signals().size();
        min = new double[n];
        max = new double[n];
        count = new long[n];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    @Override public void signal(Signal signal, long raw, double value) {
        int i = signal.index();
        if (value < min[i]) min[i] = value;
        if (value > max[i]) max[i] = value;
        count[i]++;
        values++;
    }

    public long values() { return values; }

    public double min(String signal) { return min[index(signal)]; }

    public double max(String signal) { return max[index(signal)]; }

    public long count(String signal) { return count[index(signal)]; }

    private int index(String name) {
        Signal s = db.signal(name);
        if (s == null) throw new IllegalArgumentException("no signal " + name + " in " + db.source());
        return s.index();
    }
}
