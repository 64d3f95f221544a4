package dev.vgate.buffer.policy;

import dev.vgate.buffer.Priority;

/** The effective policy of one signal. Intervals in microseconds, the deadband in physical units. */
public record SignalPolicy(Mode mode, Priority priority, double deadband, long intervalUs, long maxIntervalUs) {
    public static final SignalPolicy EVERY_NORMAL = new SignalPolicy(Mode.EVERY, Priority.NORMAL, 0, 0, 0);
    public static final SignalPolicy OFF = new SignalPolicy(Mode.OFF, Priority.NORMAL, 0, 0, 0);
}
