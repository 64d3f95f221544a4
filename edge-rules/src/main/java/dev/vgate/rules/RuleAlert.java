package dev.vgate.rules;

import java.util.Map;

/**
 * An alert raised by a rule, as handed to the {@link AlertSink}: published at once (QoS 1, the alert topic)
 * and stored as an alert in the telemetry buffer.
 *
 * The evidence: every signal the rule's conditions read, with its value and the time of that value, at the
 * moment the rule fired or cleared.
 *
 * @param values     the signals the rule reads, at the moment of the event (name → physical value; NaN: unknown)
 * @param valueTimes when each of those values was received (name → epoch ns; absent when never received)
 */
public record RuleAlert(String rule, Event event, Action.Severity severity, long timestampNanos, String message,
                        Map<String, Double> values, Map<String, Long> valueTimes) {
    public enum Event { FIRED, CLEARED }

    public RuleAlert {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        valueTimes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(valueTimes));
    }

    /** An alert whose values carry no receive times. */
    public RuleAlert(String rule, Event event, Action.Severity severity, long timestampNanos, String message, Map<String, Double> values) {
        this(rule, event, severity, timestampNanos, message, values, Map.of());
    }

    /**
     * The alert as one JSON object (the MQTT alert payload and the stored alert's text):
     * {@code {"t":1700000000.2,"rule":"...","event":"fired","severity":"critical","message":"...","values":{"BMS_Temp":61.5},
     * "at":{"BMS_Temp":1700000000.15}}}: the evidence, each value and the time it was received.
     * Unknown values (NaN) are written as null; a value never received has no "at" entry.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(160).append("{\"t\":");
        ReplayEventWriter.appendSeconds(sb, timestampNanos);
        sb.append(",\"rule\":");
        JsonString.append(sb, rule);
        sb.append(",\"event\":\"").append(event == Event.FIRED ? "fired" : "cleared").append("\",\"severity\":\"")
                .append(severity.name().toLowerCase(java.util.Locale.ROOT)).append("\",\"message\":");
        JsonString.append(sb, message);
        sb.append(",\"values\":{");
        boolean first = true;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            JsonString.append(sb, e.getKey());
            double v = e.getValue();
            sb.append(':');
            if (Double.isNaN(v) || Double.isInfinite(v)) sb.append("null");
            else sb.append(v);
        }
        sb.append("},\"at\":{");
        first = true;
        for (Map.Entry<String, Long> e : valueTimes.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            JsonString.append(sb, e.getKey());
            sb.append(':');
            ReplayEventWriter.appendSeconds(sb, e.getValue());
        }
        return sb.append("}}").toString();
    }
}
