package dev.vgate.ota.manifest;

import dev.vgate.protocol.ota.Manifest;

/**
 * A manifest whose signature checked out against a key with the {@code ota} role. Only verifiers create it;
 * the installer takes nothing else, so an unverified manifest cannot reach a slot.
 */
public final class VerifiedManifest {
    private final Manifest manifest;
    private final byte[] envelope;
    private final String keyId;

    VerifiedManifest(Manifest manifest, byte[] envelope, String keyId) {
        this.manifest = manifest;
        this.envelope = envelope.clone();
        this.keyId = keyId;
    }

    public Manifest manifest() { return manifest; }
    /** The signed envelope exactly as received, to persist and re-verify after a restart. */
    public byte[] envelope() { return envelope.clone(); }
    public String keyId() { return keyId; }
    public Version targetVersion() { return Version.parse(manifest.getTargetVersion()); }
}
