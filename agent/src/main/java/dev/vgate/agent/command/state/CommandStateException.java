package dev.vgate.agent.command.state;

import dev.vgate.agent.command.CommandException;

/** The command state database failed (wraps SQLite's exceptions). */
public class CommandStateException extends CommandException {
    private static final long serialVersionUID = 1L;

    public CommandStateException(String message, Throwable cause) { super(message, cause); }
}
