package dev.vgate.canbus;

/** The root of canbus' errors: a channel that cannot be opened, bound, configured or written. */
public class CanException extends Exception {
    private static final long serialVersionUID = 1L;

    public CanException(String message) { super(message); }

    public CanException(String message, Throwable cause) { super(message, cause); }
}
