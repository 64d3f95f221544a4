package dev.vgate.dbc;

/** A DBC file that cannot be read; the message is {@code file:line:column: expected X, found Y}. */
public final class DbcParseException extends DbcException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    public DbcParseException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public String file() { return file; }
    public int line() { return line; }
    public int column() { return column; }
    /** The message without the location prefix. */
    public String reason() { return reason; }
}
