package dev.vgate.command.verify;

import dev.vgate.protocol.command.Command;

/** Which command types this agent can execute, and each type's own parameter checks. */
public interface CommandCatalog {
    boolean knows(String type);

    /** Checks the parameters before anything is recorded; the message says which parameter is wrong. */
    void validate(Command command) throws InvalidParamsException;

    /** Raised by {@link #validate}; becomes an INVALID_PARAMS rejection. */
    final class InvalidParamsException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidParamsException(String message) { super(message); }
    }
}
