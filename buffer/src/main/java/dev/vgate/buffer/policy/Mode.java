package dev.vgate.buffer.policy;

/** How often a signal's samples are kept. */
public enum Mode {
    OFF("off"),
    /** Every decoded sample. */
    EVERY("every"),
    /** Only when the value moved by more than the deadband since the last kept sample (deadband 0: any change). */
    ON_CHANGE("on-change"),
    /** At most one sample per interval. */
    MAX_RATE("max-rate"),
    /** While the value stays within the deadband the interval doubles up to the maximum; a larger move resets it. */
    ADAPTIVE("adaptive");

    private final String yamlName;

    Mode(String yamlName) { this.yamlName = yamlName; }

    public String yamlName() { return yamlName; }

    static Mode parse(String s) {
        for (Mode m : values()) if (m.yamlName.equals(s)) return m;
        return null;
    }
}
