package dev.vgate.rules;

/** Read-only view of the latest signal values the engine has seen, by {@code Signal.index()}. */
public interface SignalValues {
    /** The latest physical value, or NaN if the signal has not been seen. */
    double value(int signalIndex);

    /** Sample time of the latest value in nanoseconds, or {@link Long#MIN_VALUE} if never seen. */
    long lastUpdateNanos(int signalIndex);
}
