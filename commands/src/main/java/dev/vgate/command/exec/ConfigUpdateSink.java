package dev.vgate.command.exec;

/** Receives signed configuration (collection policy, edge rules); the daemon validates and activates it. */
@FunctionalInterface
public interface ConfigUpdateSink {
    enum Kind { COLLECTION_POLICY, RULES }

    /** Applies or refuses the configuration; a refusal is a {@link CommandFailedException} with a reason code. */
    void apply(Kind kind, byte[] payload) throws CommandFailedException;
}
