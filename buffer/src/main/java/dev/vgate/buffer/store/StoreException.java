package dev.vgate.buffer.store;

import dev.vgate.buffer.TelemetryException;

/** The SQLite buffer failed (I/O, corruption, full disk); wraps the JDBC exception. */
public class StoreException extends TelemetryException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) { super(message, cause); }

    public StoreException(String message) { super(message); }
}
