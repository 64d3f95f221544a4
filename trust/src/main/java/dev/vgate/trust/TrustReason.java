package dev.vgate.trust;

/**
 * Why the trust store refused a signature or a key-set update. The names are wire reason codes: the
 * command verifier, the OTA client and the configuration updates report them unchanged.
 */
public enum TrustReason {
    /** The key id is on the revocation list (checked first: a revoked key may no longer be in the set at all). */
    KEY_REVOKED,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    /** The key is trusted, but not for this role (command type, {@code ota} or {@code config}). */
    ROLE_NOT_ALLOWED,
    /** key-set update: not a valid SignedKeySet / KeySet. */
    KEYSET_MALFORMED,
    /** key-set update (or a root-approved manifest): fewer distinct root public keys signed than the threshold. */
    KEYSET_THRESHOLD_NOT_MET,
    /** key-set update: version not above the active key set's. */
    KEYSET_VERSION_NOT_NEWER
}
