package dev.vgate.ota.manifest;

import com.google.protobuf.ByteString;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.protocol.ota.ManifestSignature;
import dev.vgate.protocol.ota.SignedManifest;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PrivateKey;

import java.util.Map;

/**
 * Release-side signing: wraps a manifest in its envelope, signed by a key holding the {@code ota} role
 * (Ed25519 or P-256, as {@code vgate keys gen} makes them). Root keys may co-sign to approve a rollback
 * below the devices' anti-rollback floor.
 */
public final class ManifestSigner {
    private final PrivateKey key;
    private final String keyId;

    public ManifestSigner(PrivateKey key, String keyId) {
        this.key = key;
        this.keyId = keyId;
    }

    public SignedManifest sign(Manifest manifest) throws KeyFormatException {
        return sign(manifest, Map.of());
    }

    /** Signs, and adds a co-signature by each of {@code roots} (id → key) over the same bytes. */
    public SignedManifest sign(Manifest manifest, Map<String, PrivateKey> roots) throws KeyFormatException {
        ByteString bytes = manifest.toByteString();
        byte[] signed = ManifestCodec.signedBytes(bytes);
        SignedManifest.Builder b = SignedManifest.newBuilder().setManifest(bytes).setKeyId(keyId).setAlgorithm(key.algorithm().cliName())
                .setSignature(ByteString.copyFrom(key.sign(signed)));
        for (Map.Entry<String, PrivateKey> r : roots.entrySet()) {
            b.addRootSignatures(ManifestSignature.newBuilder().setKeyId(r.getKey()).setSignature(ByteString.copyFrom(r.getValue().sign(signed))));
        }
        return b.build();
    }
}
