package dev.vgate.agent.config;

/** @param level the lowest level written to the log (journald collects it) */
public record LoggingConfig(LogLevel level) {
    public static final LoggingConfig DEFAULT = new LoggingConfig(LogLevel.INFO);
}
