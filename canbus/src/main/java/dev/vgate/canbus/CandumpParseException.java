package dev.vgate.canbus;

/** A line that is not valid candump/cansend syntax; the message says what was expected. */
public final class CandumpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public CandumpParseException(String message) { super(message, null, false, false); }
}
