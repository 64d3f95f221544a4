package dev.vgate.trust.crypto;

import java.util.Locale;

/** The two signature schemes a command key may use. */
public enum KeyAlgorithm {
    ED25519("ed25519"),
    /** ECDSA over NIST P-256 with SHA-256, DER-encoded signatures, deterministic nonces (RFC 6979) when signing. */
    P256("p256");

    private final String cliName;

    KeyAlgorithm(String cliName) { this.cliName = cliName; }

    public String cliName() { return cliName; }

    public dev.vgate.protocol.command.KeyAlgorithm toProto() {
        return this == ED25519 ? dev.vgate.protocol.command.KeyAlgorithm.ED25519
                : dev.vgate.protocol.command.KeyAlgorithm.ECDSA_P256_SHA256;
    }

    /** Parses "ed25519" or "p256" (case-insensitive). */
    public static KeyAlgorithm parse(String name) {
        for (KeyAlgorithm a : values()) if (a.cliName.equals(name.toLowerCase(Locale.ROOT))) return a;
        throw new IllegalArgumentException("unknown key algorithm '" + name + "' (expected ed25519 or p256)");
    }
}
