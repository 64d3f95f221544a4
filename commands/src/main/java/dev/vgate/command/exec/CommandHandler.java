package dev.vgate.command.exec;

import dev.vgate.command.verify.CommandCatalog.InvalidParamsException;
import dev.vgate.protocol.command.Command;

import java.util.Map;

/** Carries out one command type. Called only with commands that passed every verifier check. */
public interface CommandHandler {
    /** Parameter checks run by the verifier, before the command is recorded as consumed. */
    default void validate(Command command) throws InvalidParamsException {}

    /** Does it; returns values for the result (get-state), usually empty. */
    Map<String, String> execute(Command command) throws CommandFailedException;
}
