package dev.vgate.command.exec;

import dev.vgate.trust.TrustException;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustStore;
import dev.vgate.protocol.command.Command;

import java.util.Map;

/** key-set-update: the verifier already checked the body against the roots; this persists and activates it. */
public final class KeySetUpdateHandler implements CommandHandler {
    private final TrustStore trust;

    public KeySetUpdateHandler(TrustStore trust) { this.trust = trust; }

    @Override public Map<String, String> execute(Command command) throws CommandFailedException {
        try {
            KeySetState next = trust.check(command.getBody().toByteArray());
            trust.apply(next);
            return Map.of("key_set_version", Long.toString(next.version()));
        } catch (TrustException e) {
            throw new CommandFailedException("KEYSET_NOT_APPLIED", e.getMessage(), e);
        }
    }
}
