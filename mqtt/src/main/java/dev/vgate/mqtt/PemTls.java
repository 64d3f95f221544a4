package dev.vgate.mqtt;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a TLS socket factory from PEM files, as brokers and fleet PKIs hand them out: a CA bundle, and for
 * mutual TLS a certificate chain and an unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
 */
public final class PemTls {
    private PemTls() {}

    public static SSLSocketFactory socketFactory(Path caFile, Path certFile, Path keyFile) throws MqttLinkException {
        try {
            TrustManagerFactory tmf = null;
            if (caFile != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (X509Certificate c : readCertificates(caFile)) trust.setCertificateEntry("ca-" + i++, c);
                if (i == 0) throw new MqttLinkException(caFile + ": no CERTIFICATE in PEM file");
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                List<X509Certificate> chain = readCertificates(certFile);
                if (chain.isEmpty()) throw new MqttLinkException(certFile + ": no CERTIFICATE in PEM file");
                PrivateKey key = readPrivateKey(keyFile);
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                char[] pw = new char[0];
                ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new MqttLinkException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) out.add(conv.getCertificate(h));
            }
        }
        return out;
    }

    /**
     * BouncyCastle's PEM parser understands every PEM flavour (PKCS#8, SEC1 "EC PRIVATE KEY", PKCS#1 RSA) and
     * hands out PKCS#8 {@link PrivateKeyInfo}, with a SEC1 key's curve in its algorithm parameters; the JDK's
     * KeyFactory, found by the algorithm's OID, turns that into a key of JSSE's own provider. No BouncyCastle
     * JCA provider: it would load every algorithm BouncyCastle has, post-quantum ones included, into vgate.jar
     * and into memory (docs/benchmarks.md, "Footprint").
     */
    private static PrivateKey toJdkKey(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String alg = switch (oid) {
            case "1.2.840.10045.2.1" -> "EC";
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            default -> throw new GeneralSecurityException("unsupported private key algorithm " + oid + " (EC, RSA, Ed25519, Ed448 are)");
        };
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    static PrivateKey readPrivateKey(Path file) throws IOException, MqttLinkException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PEMKeyPair kp) return toJdkKey(kp.getPrivateKeyInfo()); // SEC1 keys may lack the public part
                if (o instanceof PrivateKeyInfo pki) return toJdkKey(pki);
            }
        } catch (GeneralSecurityException e) {
            throw new MqttLinkException(file + ": unusable private key: " + e.getMessage(), e);
        }
        throw new MqttLinkException(file + ": no unencrypted PRIVATE KEY in PEM file");
    }
}
