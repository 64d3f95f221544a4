package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.Message;

import java.util.Map;

/** What a rule does when it fires (or clears). Built and checked when the rules are loaded. */
public sealed interface Action permits Action.SendCan, Action.RaiseAlert, Action.RaiseFault, Action.SwitchCollection {

    /**
     * Sends a DBC message, encoded once at load time: {@code repeat} frames in total, {@code period} apart.
     * The first goes out on the evaluating thread at once, the repeats are scheduled. {@code bus} is the bus
     * whose DBC defines the message (null with a single-DBC rule set: the one bus).
     */
    record SendCan(Message message, Map<String, Object> signals, byte[] payload, int repeat, long periodNanos, String bus) implements Action {
        public SendCan {
            payload = payload.clone();
            signals = Map.copyOf(signals);
        }

        @Override public byte[] payload() { return payload.clone(); }

        /** Fills {@code f} with this action's frame (no allocation; the caller sets the timestamp and interface). */
        public CanFrame fill(CanFrame f) {
            int flags = (message.isExtended() ? CanFrame.FLAG_EXTENDED : 0) | (message.isFd() ? CanFrame.FLAG_FD : 0);
            return f.id(message.frameId()).flags(flags).data(payload, 0, payload.length);
        }
    }

    /** Publishes an alert at once (QoS 1, the daemon's alert topic) and stores it in the telemetry buffer. */
    record RaiseAlert(Severity severity, String message) implements Action {}

    /** Raises a DTC-like fault code while the rule is active; the clear event clears it. */
    record RaiseFault(String code, String description) implements Action {}

    /** Switches telemetry collection to a named policy for a window around the event (from the pre-trigger ring). */
    record SwitchCollection(String policy, long preNanos, long postNanos) implements Action {}

    enum Severity { INFO, WARNING, CRITICAL }
}
