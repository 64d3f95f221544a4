package dev.vgate.trust.crypto;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

import java.io.IOException;
import java.security.SecureRandom;

/** A signing key (cloud side and tests) with its public half. */
public final class PrivateKey {
    private final KeyAlgorithm algorithm;
    private final AsymmetricKeyParameter params;
    private final PublicKey publicKey;

    private PrivateKey(KeyAlgorithm algorithm, AsymmetricKeyParameter params, PublicKey publicKey) {
        this.algorithm = algorithm;
        this.params = params;
        this.publicKey = publicKey;
    }

    public static PrivateKey generate(KeyAlgorithm algorithm, SecureRandom random) {
        AsymmetricCipherKeyPair pair;
        if (algorithm == KeyAlgorithm.ED25519) {
            Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
            g.init(new Ed25519KeyGenerationParameters(random));
            pair = g.generateKeyPair();
        } else {
            ECKeyPairGenerator g = new ECKeyPairGenerator();
            g.init(new ECKeyGenerationParameters(new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1,
                    ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1)), random));
            pair = g.generateKeyPair();
        }
        try {
            PublicKey pub = PublicKey.fromDer(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded());
            return new PrivateKey(algorithm, pair.getPrivate(), pub);
        } catch (IOException | KeyFormatException e) {
            throw new IllegalStateException("freshly generated key does not encode", e);
        }
    }

    /** Parses a PKCS#8 PrivateKeyInfo (DER) holding an Ed25519 or P-256 key. */
    public static PrivateKey fromPkcs8(byte[] der) throws KeyFormatException {
        try {
            AsymmetricKeyParameter p = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(der));
            AsymmetricKeyParameter pub;
            KeyAlgorithm algorithm;
            if (p instanceof Ed25519PrivateKeyParameters) {
                algorithm = KeyAlgorithm.ED25519;
                pub = ((Ed25519PrivateKeyParameters) p).generatePublicKey();
            } else if (p instanceof ECPrivateKeyParameters) {
                ECPrivateKeyParameters ec = (ECPrivateKeyParameters) p;
                if (!(ec.getParameters() instanceof ECNamedDomainParameters)
                        || !SECObjectIdentifiers.secp256r1.equals(((ECNamedDomainParameters) ec.getParameters()).getName())) {
                    throw new KeyFormatException("EC private key is not on the named curve P-256");
                }
                algorithm = KeyAlgorithm.P256;
                pub = new org.bouncycastle.crypto.params.ECPublicKeyParameters(
                        ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters());
            } else {
                throw new KeyFormatException("unsupported private key type " + p.getClass().getSimpleName());
            }
            PublicKey publicKey = PublicKey.fromDer(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub).getEncoded());
            return new PrivateKey(algorithm, p, publicKey);
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("invalid private key: " + e.getMessage(), e);
        }
    }

    public KeyAlgorithm algorithm() { return algorithm; }

    public PublicKey publicKey() { return publicKey; }

    public byte[] pkcs8() {
        try {
            return PrivateKeyInfoFactory.createPrivateKeyInfo(params).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("private key does not encode", e);
        }
    }

    public byte[] sign(byte[] data) throws KeyFormatException {
        Signer signer = PublicKey.newSigner(algorithm);
        signer.init(true, params);
        return PublicKey.sign(signer, data);
    }
}
