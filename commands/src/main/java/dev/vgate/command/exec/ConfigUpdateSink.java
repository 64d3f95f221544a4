package dev.vgate.command.exec;

/** Receives signed configuration (collection policy, edge rules); the daemon validates and activates it. */
@FunctionalInterface
public interface ConfigUpdateSink {
    /** DBC_SET: a decoder manifest, which DBC files decode which bus. */
    enum Kind { COLLECTION_POLICY, RULES, DBC_SET }

    /** Applies or refuses the configuration; a refusal is a {@link CommandFailedException} with a reason code. */
    void apply(Kind kind, byte[] payload) throws CommandFailedException;

    /**
     * With the command's parameters ({@code version}: the update's version, monotonic per kind); returns the
     * values for the COMPLETED result (e.g. the version now active). Default: {@link #apply(Kind, byte[])}.
     */
    default java.util.Map<String, String> apply(Kind kind, byte[] payload, java.util.Map<String, String> params) throws CommandFailedException {
        apply(kind, payload);
        return java.util.Map.of();
    }
}
