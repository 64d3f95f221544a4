package dev.vgate.command;

/** Root of the command subsystem's exceptions (bad keys, bad trust files, state database failures). */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) { super(message); }

    public CommandException(String message, Throwable cause) { super(message, cause); }
}
