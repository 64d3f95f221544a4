package dev.vgate.buffer;

/** Root of the telemetry module's exceptions; wraps SQLite, protobuf, YAML and compression errors. */
public class TelemetryException extends Exception {
    private static final long serialVersionUID = 1L;

    public TelemetryException(String message) { super(message); }

    public TelemetryException(String message, Throwable cause) { super(message, cause); }
}
