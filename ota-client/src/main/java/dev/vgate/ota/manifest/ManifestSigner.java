package dev.vgate.ota.manifest;

import dev.vgate.ota.OtaException;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.protocol.ota.SignedManifest;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static dev.vgate.ota.OtaException.Reason.TRUST_STORE;

/** Release-side signing: wraps a manifest in its Ed25519 envelope. Keys are PKCS#8 PEM (as openssl writes them). */
public final class ManifestSigner {
    private final Ed25519PrivateKeyParameters key;
    private final String keyId;

    public ManifestSigner(Ed25519PrivateKeyParameters key, String keyId) {
        this.key = key;
        this.keyId = keyId;
    }

    public SignedManifest sign(Manifest manifest) {
        var bytes = manifest.toByteString();
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, key);
        byte[] signed = ManifestCodec.signedBytes(bytes);
        s.update(signed, 0, signed.length);
        return SignedManifest.newBuilder().setManifest(bytes).setKeyId(keyId).setAlgorithm("ed25519")
                .setSignature(com.google.protobuf.ByteString.copyFrom(s.generateSignature())).build();
    }

    public static Ed25519PrivateKeyParameters generate() {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair kp = g.generateKeyPair();
        return (Ed25519PrivateKeyParameters) kp.getPrivate();
    }

    public static String toPem(Ed25519PrivateKeyParameters key) throws IOException {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new PemObject("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded()));
        }
        return sw.toString();
    }

    public static Ed25519PrivateKeyParameters readPem(Path file) throws OtaException {
        try (PemReader r = new PemReader(new StringReader(Files.readString(file)))) {
            PemObject o = r.readPemObject();
            if (o == null || !o.getType().equals("PRIVATE KEY"))
                throw new OtaException(TRUST_STORE, file + ": expected a PKCS#8 \"PRIVATE KEY\" PEM block");
            AsymmetricKeyParameter k = PrivateKeyFactory.createKey(o.getContent());
            if (k instanceof Ed25519PrivateKeyParameters ed) return ed;
            throw new OtaException(TRUST_STORE, file + ": not an Ed25519 private key");
        } catch (IOException | RuntimeException e) {
            throw new OtaException(TRUST_STORE, file + ": cannot read private key: " + e.getMessage(), e);
        }
    }
}
