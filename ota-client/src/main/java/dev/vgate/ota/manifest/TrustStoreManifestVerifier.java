package dev.vgate.ota.manifest;

import dev.vgate.ota.OtaException;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.protocol.ota.ManifestSignature;
import dev.vgate.protocol.ota.SignedManifest;
import dev.vgate.trust.Roles;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.TrustVerdict;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.vgate.ota.OtaException.Reason.BAD_SIGNATURE;
import static dev.vgate.ota.OtaException.Reason.KEY_REVOKED;
import static dev.vgate.ota.OtaException.Reason.UNKNOWN_KEY;
import static dev.vgate.ota.OtaException.Reason.WRONG_ROLE;

/**
 * Verifies a manifest envelope against the device's one trust store (the same store, live, that verifies
 * commands): the signing key must be listed, not revoked, hold the {@code ota} role, and its Ed25519 or
 * P-256 signature must cover the manifest. Each call reads the active key set, so a rotation or revocation
 * received by the running daemon applies to the next manifest, and to the re-verification of an install
 * already under way (a manifest signed before its key was revoked is refused with KEY_REVOKED).
 */
public final class TrustStoreManifestVerifier implements ManifestVerifier {
    private final TrustStore trust;
    private final Duration clockSkew;

    /** @param clockSkew how far the device clock may be off when the manifest's expiry is checked */
    public TrustStoreManifestVerifier(TrustStore trust, Duration clockSkew) {
        this.trust = trust;
        this.clockSkew = clockSkew;
    }

    @Override public VerifiedManifest verify(byte[] envelope) throws OtaException {
        SignedManifest env = ManifestCodec.parseEnvelope(envelope);
        byte[] signed = ManifestCodec.signedBytes(env.getManifest());
        TrustVerdict v = trust.verify(Roles.OTA, signed, env.getSignature().toByteArray(), env.getKeyId());
        if (v instanceof TrustVerdict.Refused r) {
            OtaException.Reason reason = switch (r.reason()) {
                case KEY_REVOKED -> KEY_REVOKED;
                case UNKNOWN_KEY -> UNKNOWN_KEY;
                case BAD_SIGNATURE -> BAD_SIGNATURE;
                default -> WRONG_ROLE;
            };
            throw new OtaException(reason, "manifest: " + r.detail());
        }
        TrustVerdict.Trusted t = (TrustVerdict.Trusted) v;
        if (!t.algorithm().cliName().equals(env.getAlgorithm()))
            throw new OtaException(BAD_SIGNATURE, "envelope says " + env.getAlgorithm() + ", key \"" + t.keyId() + "\" is " + t.algorithm().cliName());
        List<TrustStore.RootSig> roots = new ArrayList<>();
        for (ManifestSignature s : env.getRootSignaturesList()) roots.add(new TrustStore.RootSig(s.getKeyId(), s.getSignature().toByteArray()));
        boolean rootApproved = !roots.isEmpty() && trust.rootApproved(signed, roots);
        Manifest m = ManifestCodec.parseManifest(env.getManifest());
        Logger.debug("manifest for version {} verified with key {} (key set version {}{})", m.getTargetVersion(), t.keyId(),
                t.keySetVersion(), rootApproved ? ", approved by the root threshold" : "");
        return new VerifiedManifest(m, envelope, t.keyId(), rootApproved, clockSkew);
    }
}
