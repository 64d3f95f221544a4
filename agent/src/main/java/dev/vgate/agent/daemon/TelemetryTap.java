package dev.vgate.agent.daemon;

import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;

/**
 * Where one DBC's decoded signals on one bus go for telemetry. {@link #OFF} while the telemetry part is down, so
 * a bus pipeline never checks for a missing collector and is rewired, not rebuilt, when telemetry comes up.
 */
public interface TelemetryTap extends SignalSink {
    /** The frame whose signals follow (microseconds). */
    void frame(long timestampUs);

    TelemetryTap OFF = new TelemetryTap() {
        @Override public void frame(long timestampUs) { }

        @Override public void signal(Signal signal, long raw, double value) { }
    };

    static TelemetryTap of(BusCollector c) {
        return new TelemetryTap() {
            @Override public void frame(long timestampUs) { c.frame(timestampUs); }

            @Override public void signal(Signal signal, long raw, double value) { c.signal(signal, raw, value); }
        };
    }
}
