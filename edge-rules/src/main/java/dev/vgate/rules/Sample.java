package dev.vgate.rules;

/**
 * One decoded signal value with its receive time: the unit of work of {@link RuleEngine#evaluate}.
 * Mutable and reused by the receiving thread; an {@link ActionSink} must copy what it keeps.
 */
public final class Sample {
    /** {@code Signal.index()}, or -1 for a pure clock tick. */
    int signalIndex = -1;
    double value = Double.NaN;
    long timestampNanos;
    String iface = "";

    public Sample set(int signalIndex, double value, long timestampNanos) {
        this.signalIndex = signalIndex;
        this.value = value;
        this.timestampNanos = timestampNanos;
        return this;
    }

    public Sample iface(String iface) { this.iface = iface; return this; }

    public int signalIndex() { return signalIndex; }
    public double value() { return value; }
    public long timestampNanos() { return timestampNanos; }
    /** The CAN interface the frame came from (where a CAN action of this event goes by default). */
    public String iface() { return iface; }
}
