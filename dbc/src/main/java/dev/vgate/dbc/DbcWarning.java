package dev.vgate.dbc;

/** Something in a DBC file that was loaded anyway, with where it is. */
public record DbcWarning(String file, int line, int column, String message) {
    @Override public String toString() { return file + ":" + line + ":" + column + ": warning: " + message; }
}
