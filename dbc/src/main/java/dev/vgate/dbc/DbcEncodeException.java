package dev.vgate.dbc;

/** A value that cannot be encoded (out of range, unknown label, missing multiplexer). */
public final class DbcEncodeException extends DbcException {
    private static final long serialVersionUID = 1L;

    public DbcEncodeException(String message) { super(message); }
}
