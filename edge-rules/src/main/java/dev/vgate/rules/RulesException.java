package dev.vgate.rules;

/** Root of the edge-rules exceptions: a rules file that cannot be loaded or does not fit the DBC. */
public class RulesException extends Exception {
    private static final long serialVersionUID = 1L;

    public RulesException(String message) { super(message); }

    public RulesException(String message, Throwable cause) { super(message, cause); }
}
