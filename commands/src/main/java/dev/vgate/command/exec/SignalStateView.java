package dev.vgate.command.exec;

import java.util.Optional;

/** Last known values of named signals (the daemon backs this with its decoder's latest samples). */
@FunctionalInterface
public interface SignalStateView {
    /** A signal's last value: physical value, its value-table label (or null), and when it was seen. */
    record Reading(double value, String label, long atMs) {}

    Optional<Reading> latest(String signalName);

    /** Knows nothing: every signal is reported missing. */
    SignalStateView EMPTY = name -> Optional.empty();
}
