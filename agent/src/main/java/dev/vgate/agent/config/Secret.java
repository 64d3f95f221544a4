package dev.vgate.agent.config;

/** A configuration value that must never reach a log: {@link #toString()} masks it. */
public record Secret(String value) {
    public static final String MASK = "******";

    public Secret {
        if (value == null) throw new IllegalArgumentException("secret value is null");
    }

    /** The clear text, for the one place that needs it (e.g. the MQTT CONNECT). */
    public String reveal() {
        return value;
    }

    @Override public String toString() {
        return MASK;
    }
}
