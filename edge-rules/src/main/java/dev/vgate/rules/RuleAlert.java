package dev.vgate.rules;

import java.util.Map;

/**
 * An alert raised by a rule, as handed to the {@link AlertSink}: published at once (QoS 1, the alert topic)
 * and stored as an alert in the telemetry buffer.
 *
 * @param values the signals the rule reads, at the moment of the event (name → physical value)
 */
public record RuleAlert(String rule, Event event, Action.Severity severity, long timestampNanos, String message,
                        Map<String, Double> values) {
    public enum Event { FIRED, CLEARED }

    public RuleAlert {
        values = Map.copyOf(values);
    }
}
