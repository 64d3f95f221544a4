package dev.vgate.dbc;

/**
 * Receives the signals of one decoded frame, in DBC order, only those of the active multiplexer group.
 * Implementations are reused across frames; nothing is allocated per call.
 */
@FunctionalInterface
public interface SignalSink {
    /**
     * @param signal the compiled signal (its {@link Signal#index()} is dense over the database, for array lookups)
     * @param raw    the raw integer as laid out in the frame (sign-extended for signed signals; for float
     *               signals the IEEE bits: float32 as an unsigned 32-bit value, float64 as the long bits)
     * @param value  the physical value: raw * factor + offset (or the float itself)
     */
    void signal(Signal signal, long raw, double value);
}
