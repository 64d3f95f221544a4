package dev.vgate.trust.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;

import java.io.IOException;
import java.util.Arrays;

/**
 * A verification key: parsed and validated once (curve point checks happen here), then used for many
 * verifications. Thread-safe: each {@link #verify} builds its own small signer object.
 */
public final class PublicKey {
    private final KeyAlgorithm algorithm;
    private final byte[] encoded;
    private final AsymmetricKeyParameter params;
    /** The key itself, independent of how the DER spelt it (an EC point compressed or not): what equality compares. */
    private final byte[] canonical;

    private PublicKey(KeyAlgorithm algorithm, byte[] encoded, AsymmetricKeyParameter params) {
        this.algorithm = algorithm;
        this.encoded = encoded;
        this.params = params;
        this.canonical = params instanceof org.bouncycastle.crypto.params.ECPublicKeyParameters ec
                ? ec.getQ().getEncoded(false)
                : ((org.bouncycastle.crypto.params.Ed25519PublicKeyParameters) params).getEncoded();
    }

    /** Parses an X.509 SubjectPublicKeyInfo (DER); only Ed25519 and EC keys on P-256 are accepted. */
    public static PublicKey fromDer(byte[] spkiDer) throws KeyFormatException {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spkiDer);
            ASN1ObjectIdentifier alg = info.getAlgorithm().getAlgorithm();
            KeyAlgorithm algorithm;
            if (EdECObjectIdentifiers.id_Ed25519.equals(alg)) {
                algorithm = KeyAlgorithm.ED25519;
            } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
                if (!SECObjectIdentifiers.secp256r1.equals(info.getAlgorithm().getParameters())) {
                    throw new KeyFormatException("EC public key is not on the named curve P-256 (prime256v1)");
                }
                algorithm = KeyAlgorithm.P256;
            } else {
                throw new KeyFormatException("unsupported public key algorithm " + alg + " (expected Ed25519 or EC P-256)");
            }
            return new PublicKey(algorithm, spkiDer.clone(), PublicKeyFactory.createKey(info));
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("invalid public key: " + e.getMessage(), e);
        }
    }

    public KeyAlgorithm algorithm() { return algorithm; }

    /** The SubjectPublicKeyInfo DER encoding. */
    public byte[] encoded() { return encoded.clone(); }

    /** True if {@code signature} is a valid signature of {@code data} by this key. Never throws on bad input. */
    public boolean verify(byte[] data, byte[] signature) {
        if (signature == null || signature.length == 0 || signature.length > 256) return false;
        Signer signer = newSigner(algorithm);
        try {
            signer.init(false, params);
            signer.update(data, 0, data.length);
            return signer.verifySignature(signature);
        } catch (RuntimeException e) {
            return false; // malformed DER or a wrong-length Ed25519 signature is simply not valid
        }
    }

    static Signer newSigner(KeyAlgorithm algorithm) {
        return algorithm == KeyAlgorithm.ED25519 ? new Ed25519Signer()
                : new DSADigestSigner(new ECDSASigner(new org.bouncycastle.crypto.signers.HMacDSAKCalculator(new SHA256Digest())),
                new SHA256Digest());
    }

    static byte[] sign(Signer signer, byte[] data) throws KeyFormatException {
        signer.update(data, 0, data.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new KeyFormatException("signing failed: " + e.getMessage(), e);
        }
    }

    /** Same algorithm and same key (two encodings of one EC point are one key: a threshold counts keys, not spellings). */
    @Override public boolean equals(Object o) {
        return o instanceof PublicKey p && p.algorithm == algorithm && Arrays.equals(canonical, p.canonical);
    }

    @Override public int hashCode() { return Arrays.hashCode(canonical); }
}
