package dev.vgate.rules.expr;

/** A condition that does not parse; the message names the column and what was expected. */
public final class ExprSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int column;

    public ExprSyntaxException(int column, String message) {
        super("at column " + column + ": " + message);
        this.column = column;
    }

    public int column() { return column; }
}
