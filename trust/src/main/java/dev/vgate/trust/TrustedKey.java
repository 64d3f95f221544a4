package dev.vgate.trust;

import dev.vgate.trust.crypto.PublicKey;

import java.util.Set;

/**
 * A signing key the device trusts: who it is, its public key, the command types it may issue and the
 * roles it holds ({@link Roles#OTA}, {@link Roles#CONFIG}). One key may hold several.
 */
public record TrustedKey(String id, PublicKey publicKey, Set<String> commands, Set<String> roles) {
    public TrustedKey {
        commands = Set.copyOf(commands);
        roles = Set.copyOf(roles);
    }

    /** A command-only key. */
    public TrustedKey(String id, PublicKey publicKey, Set<String> commands) { this(id, publicKey, commands, Set.of()); }

    public boolean mayIssue(String type) { return commands.contains(type); }

    /** True when this key may sign for {@code roleOrType}: a role it holds or a command type it may issue. */
    public boolean mayActAs(String roleOrType) { return roles.contains(roleOrType) || commands.contains(roleOrType); }
}
