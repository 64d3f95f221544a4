package dev.vgate.trust.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class KeysTest {
    private static final byte[] DATA = "unlock VGATE0TEST0000001".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest @EnumSource(KeyAlgorithm.class)
    void pemRoundTripSignsAndVerifies(KeyAlgorithm alg) throws Exception {
        PrivateKey k = PrivateKey.generate(alg, new SecureRandom());
        PrivateKey k2 = PemKeys.parsePrivate(PemKeys.privatePem(k), "test");
        PublicKey p2 = PemKeys.parsePublic(PemKeys.publicPem(k.publicKey()), "test");
        assertEquals(alg, k2.algorithm());
        assertEquals(k.publicKey(), k2.publicKey(), "public half derived from the private key");
        assertEquals(k.publicKey(), p2);
        byte[] sig = k2.sign(DATA);
        assertTrue(p2.verify(DATA, sig));
        byte[] other = DATA.clone();
        other[0] ^= 1;
        assertFalse(p2.verify(other, sig));
        assertFalse(p2.verify(DATA, new byte[sig.length]));
        assertFalse(p2.verify(DATA, new byte[0]));
        assertFalse(p2.verify(DATA, new byte[] {0x30, 0x02, 0x02}), "truncated DER is just invalid");
    }

    @Test void readsKeysMadeByTheJdk() throws Exception {
        // a P-256 key from the JDK's own provider (what a cloud service in Java would produce)
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = g.generateKeyPair();
        PrivateKey k = PrivateKey.fromPkcs8(pair.getPrivate().getEncoded());
        PublicKey p = PublicKey.fromDer(pair.getPublic().getEncoded());
        assertEquals(p, k.publicKey());
        java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSA");
        jdk.initSign(pair.getPrivate());
        jdk.update(DATA);
        assertTrue(p.verify(DATA, jdk.sign()), "JDK ECDSA signature verifies");
        // and Ed25519 from the JDK
        var ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(ed.getPrivate());
        s.update(DATA);
        assertTrue(PublicKey.fromDer(ed.getPublic().getEncoded()).verify(DATA, s.sign()));
    }

    @Test void refusesOtherCurvesAndAlgorithms() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKey.fromDer(g.generateKeyPair().getPublic().getEncoded()));
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertThrows(KeyFormatException.class, () -> PublicKey.fromDer(rsa.generateKeyPair().getPublic().getEncoded()));
        assertThrows(KeyFormatException.class, () -> PublicKey.fromDer(new byte[] {1, 2, 3}));
    }

    @Test void pemErrorsSayWhatAndWhere() {
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PemKeys.parsePublic("no pem here", "keys/a.pub.pem"));
        assertTrue(e.getMessage().startsWith("keys/a.pub.pem"), e.getMessage());
        String priv = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[] {1, 2}) + "\n-----END PRIVATE KEY-----\n";
        e = assertThrows(KeyFormatException.class, () -> PemKeys.parsePublic(priv, "x.pem"));
        assertTrue(e.getMessage().contains("expected 'PUBLIC KEY'"), e.getMessage());
    }
}
