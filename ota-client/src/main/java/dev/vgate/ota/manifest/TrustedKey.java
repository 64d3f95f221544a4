package dev.vgate.ota.manifest;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

import java.util.Set;

/** A public key the device trusts, with the roles it may sign for (e.g. {@code ota}, {@code command}). */
public record TrustedKey(String id, Set<String> roles, Ed25519PublicKeyParameters publicKey) {
    public TrustedKey {
        roles = Set.copyOf(roles);
    }
}
