package dev.vgate.command.trust;

import dev.vgate.command.crypto.PublicKey;

import java.util.Set;

/** A command key: who it is, its public key, and the command types it may issue (its role). */
public record TrustedKey(String id, PublicKey publicKey, Set<String> commands) {
    public TrustedKey {
        commands = Set.copyOf(commands);
    }

    public boolean mayIssue(String type) { return commands.contains(type); }
}
