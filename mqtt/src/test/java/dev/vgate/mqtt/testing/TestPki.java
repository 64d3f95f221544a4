package dev.vgate.mqtt.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;

/** A throw-away PKI for TLS tests: a CA, a server certificate for 127.0.0.1/localhost and a client certificate. */
public final class TestPki {
    public final Path dir;
    public final Path caPem;
    public final Path serverKeystore;   // PKCS12, password "changeit", alias "server"
    public final Path clientCertPem;
    public final Path clientKeyPem;
    public final KeyPair caKeys;
    public final X509Certificate caCert;

    public TestPki(Path dir) throws Exception {
        this.dir = dir;
        caKeys = ec();
        caCert = sign("CN=vgate test CA", caKeys, "CN=vgate test CA", caKeys, true, false);
        KeyPair server = ec();
        X509Certificate serverCert = sign("CN=localhost", server, "CN=vgate test CA", caKeys, false, true);
        KeyPair client = ec();
        X509Certificate clientCert = sign("CN=VIN0001", client, "CN=vgate test CA", caKeys, false, false);

        caPem = dir.resolve("ca.pem");
        writePem(caPem, caCert);
        clientCertPem = dir.resolve("client.pem");
        writePem(clientCertPem, clientCert);
        clientKeyPem = dir.resolve("client.key");
        writePem(clientKeyPem, new JcaPKCS8Generator(client.getPrivate(), null)); // "PRIVATE KEY", as openssl writes it
        serverKeystore = dir.resolve("server.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", server.getPrivate(), "changeit".toCharArray(), new Certificate[] {serverCert, caCert});
        ks.setCertificateEntry("ca", caCert);
        try (OutputStream o = Files.newOutputStream(serverKeystore)) { ks.store(o, "changeit".toCharArray()); }
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                        boolean ca, boolean server) throws Exception {
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now),
                new Date(now - 60_000), new Date(now + 86_400_000L), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static void writePem(Path p, Object o) throws IOException {
        try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pw = new JcaPEMWriter(w)) { pw.writeObject(o); }
    }
}
