package dev.vgate.trust;

import dev.vgate.trust.crypto.KeyAlgorithm;

/** The trust store's answer to "did a key trusted for this role sign these bytes?". */
public sealed interface TrustVerdict {
    /** The signature is valid, by a key that is listed, not revoked, and holds the role, in key set {@code keySetVersion}. */
    record Trusted(String keyId, KeyAlgorithm algorithm, long keySetVersion) implements TrustVerdict {}

    /** Refused; {@code detail} is one line for logs and responses (the key id in it is clipped and escaped). */
    record Refused(TrustReason reason, String detail) implements TrustVerdict {
        public String reasonCode() { return reason.name(); }
    }

    default boolean trusted() { return this instanceof Trusted; }
}
