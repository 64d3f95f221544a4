package dev.vgate.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client key of mutual TLS in each PEM flavour a device may be given (PKCS#8 EC, SEC1 "EC PRIVATE KEY",
 * PKCS#8 RSA, Ed25519) becomes a JDK key that signs what its public key verifies, without BouncyCastle's JCA
 * provider (not in vgate.jar).
 */
class PemTlsKeysTest {
    @TempDir Path dir;

    @Test void pkcs8EcKey() throws Exception {
        KeyPair kp = ec();
        assertSigns(kp, "SHA256withECDSA", read("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }

    @Test void sec1EcKeyKeepsItsCurve() throws Exception {
        KeyPair kp = ec();
        // as `openssl ecparam -genkey` writes it: the curve's OID in [0], the public key in [1]
        java.math.BigInteger d = ((java.security.interfaces.ECPrivateKey) kp.getPrivate()).getS();
        org.bouncycastle.asn1.ASN1BitString pub = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).getPublicKeyData();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, pub, org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1).getEncoded();
        PrivateKey k = read("EC PRIVATE KEY", sec1);
        assertEquals("EC", k.getAlgorithm());
        assertSigns(kp, "SHA256withECDSA", k);
    }

    @Test void pkcs8RsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        assertSigns(kp, "SHA256withRSA", read("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }

    @Test void ed25519Key() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertSigns(kp, "Ed25519", read("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }

    @Test void aFileWithoutAKeyIsAnError() throws Exception {
        Path f = dir.resolve("empty.pem");
        Files.writeString(f, "no key here\n");
        assertThrows(Exception.class, () -> PemTls.readPrivateKey(f));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private PrivateKey read(String type, byte[] der) throws Exception {
        Path f = dir.resolve(type.replace(' ', '_') + ".pem");
        Files.writeString(f, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n");
        return PemTls.readPrivateKey(f);
    }

    private static void assertSigns(KeyPair kp, String alg, PrivateKey read) throws Exception {
        byte[] msg = "vgate".getBytes();
        Signature s = Signature.getInstance(alg);
        s.initSign(read);
        s.update(msg);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        v.initVerify(kp.getPublic());
        v.update(msg);
        assertTrue(v.verify(sig), alg + " signature by the key read from PEM verifies with the original public key");
    }
}
