package dev.vgate.ota.manifest;

import dev.vgate.protocol.ota.Manifest;

/**
 * A manifest whose signature checked out against a key with the {@code ota} role in the device's trust store. Only verifiers create it;
 * the installer takes nothing else, so an unverified manifest cannot reach a slot.
 */
public final class VerifiedManifest {
    private final Manifest manifest;
    private final byte[] envelope;
    private final String keyId;
    private final boolean rootApproved;
    private final java.time.Duration clockSkew;

    VerifiedManifest(Manifest manifest, byte[] envelope, String keyId, boolean rootApproved, java.time.Duration clockSkew) {
        this.manifest = manifest;
        this.envelope = envelope.clone();
        this.keyId = keyId;
        this.rootApproved = rootApproved;
        this.clockSkew = clockSkew;
    }

    /** True when the root threshold co-signed it: only then may it go below the anti-rollback floor. */
    public boolean rootApproved() { return rootApproved; }

    /**
     * Null while the manifest is fresh at {@code nowMillis}, else why not. Checked when an install is accepted,
     * not when a persisted install resumes (its expiry may pass while it runs).
     */
    public String expiryProblem(long nowMillis) {
        long expires = manifest.getExpiresEpochSeconds();
        if (expires == 0) return "the manifest has no expires_at";
        if (expires < 0) return null; // a uint64 above 2^63-1 seconds: far future, not an overflowed past
        // expires_at + skew, saturating: a huge expires_at is far future, not an overflowed past
        long limit = expires > (Long.MAX_VALUE - clockSkew.toMillis()) / 1000 ? Long.MAX_VALUE : expires * 1000 + clockSkew.toMillis();
        return nowMillis < limit ? null : "the manifest expired at " + java.time.Instant.ofEpochSecond(expires) + " (now "
                + java.time.Instant.ofEpochMilli(nowMillis) + ", skew " + clockSkew.toSeconds() + " s)";
    }

    public Manifest manifest() { return manifest; }
    /** The signed envelope exactly as received, to persist and re-verify after a restart. */
    public byte[] envelope() { return envelope.clone(); }
    public String keyId() { return keyId; }
    public Version targetVersion() { return Version.parse(manifest.getTargetVersion()); }
}
