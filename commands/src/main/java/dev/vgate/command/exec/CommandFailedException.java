package dev.vgate.command.exec;

import dev.vgate.command.CommandException;

/** A verified command that its handler could not carry out; {@code code} becomes the FAILED reason code. */
public class CommandFailedException extends CommandException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public CommandFailedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public CommandFailedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() { return code; }
}
