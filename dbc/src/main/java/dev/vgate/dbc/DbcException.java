package dev.vgate.dbc;

/** Root of the DBC engine's exceptions. */
public class DbcException extends Exception {
    private static final long serialVersionUID = 1L;

    public DbcException(String message) { super(message); }

    public DbcException(String message, Throwable cause) { super(message, cause); }
}
