package dev.vgate.agent.config;

/** tinylog's severity levels, as written in the config file. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** The name tinylog's {@code writer.level} property expects. */
    public String tinylogName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
