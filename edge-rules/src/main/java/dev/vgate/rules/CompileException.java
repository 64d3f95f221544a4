package dev.vgate.rules;

/** A condition that parses but does not make sense against the DBC (unknown signal, wrong unit, wrong type). */
final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    CompileException(int column, String message) { super("at column " + column + ": " + message); }
}
