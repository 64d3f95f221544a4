package dev.vgate.ota.manifest;

import dev.vgate.ota.OtaException;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.protocol.ota.SignedManifest;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.tinylog.Logger;

import static dev.vgate.ota.OtaException.Reason.BAD_SIGNATURE;
import static dev.vgate.ota.OtaException.Reason.UNKNOWN_KEY;
import static dev.vgate.ota.OtaException.Reason.WRONG_ROLE;

/** Verifies the Ed25519 envelope against keys from a {@link KeyLookup}; the key must hold the ota role. */
public final class Ed25519ManifestVerifier implements ManifestVerifier {
    private final KeyLookup keys;

    public Ed25519ManifestVerifier(KeyLookup keys) { this.keys = keys; }

    @Override public VerifiedManifest verify(byte[] envelope) throws OtaException {
        SignedManifest env = ManifestCodec.parseEnvelope(envelope);
        TrustedKey key = keys.find(env.getKeyId()).orElseThrow(() ->
                new OtaException(UNKNOWN_KEY, "manifest signed by key \"" + ManifestCodec.clip(env.getKeyId()) + "\", which is not in the trust store"));
        // Check the signature before the role so a forged envelope never learns which roles a key has.
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, key.publicKey());
        byte[] signed = ManifestCodec.signedBytes(env.getManifest());
        signer.update(signed, 0, signed.length);
        if (!signer.verifySignature(env.getSignature().toByteArray()))
            throw new OtaException(BAD_SIGNATURE, "manifest signature does not verify with key \"" + key.id() + "\"");
        if (!key.roles().contains(OTA_ROLE))
            throw new OtaException(WRONG_ROLE, "key \"" + key.id() + "\" has roles " + key.roles() + ", not \"" + OTA_ROLE + "\"");
        Manifest m = ManifestCodec.parseManifest(env.getManifest());
        Logger.info("manifest for version {} verified with key {}", m.getTargetVersion(), key.id());
        return new VerifiedManifest(m, envelope, key.id());
    }
}
