package dev.vgate.command.state;

import dev.vgate.command.CommandException;

/** The command state database failed (wraps SQLite's exceptions). */
public class CommandStateException extends CommandException {
    private static final long serialVersionUID = 1L;

    public CommandStateException(String message, Throwable cause) { super(message, cause); }
}
