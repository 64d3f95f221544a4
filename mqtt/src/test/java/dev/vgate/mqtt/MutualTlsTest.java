package dev.vgate.mqtt;

import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.mqtt.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** MQTT over TLS with client certificates from PEM files, against a broker that requires them. */
class MutualTlsTest {
    @TempDir Path dir;

    @Test void connectsWithClientCertificateAndIsRefusedWithout() throws Exception {
        TestPki pki = new TestPki(dir);
        try (EmbeddedBroker broker = EmbeddedBroker.startTls(pki.serverKeystore, true)) {
            MqttSettings base = MqttSettings.of(broker.sslUrl(), "tls-client").withReconnect(Duration.ofMillis(100), Duration.ofMillis(500));
            try (PahoMqttLink withCert = new PahoMqttLink(base.withTls(pki.caPem, pki.clientCertPem, pki.clientKeyPem)).start()) {
                assertTrue(withCert.awaitConnected(Duration.ofSeconds(15)), "mutual TLS handshake and MQTT connect");
                assertTrue(withCert.publish("vgate/VIN0001/telemetry", new byte[] {1, 2}, MqttLink.PublishOptions.qos1())
                        .get(10, TimeUnit.SECONDS).isSuccess());
            }
            try (PahoMqttLink noCert = new PahoMqttLink(MqttSettings.of(broker.sslUrl(), "no-cert")
                    .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500)).withTls(pki.caPem, null, null)).start()) {
                assertFalse(noCert.awaitConnected(Duration.ofSeconds(3)), "a broker that needs client certificates refuses us without one");
            }
        }
    }

    @Test void untrustedBrokerIsRefused() throws Exception {
        TestPki pki = new TestPki(dir);
        Path otherDir = Files.createDirectory(dir.resolve("other"));
        TestPki other = new TestPki(otherDir);
        try (EmbeddedBroker broker = EmbeddedBroker.startTls(pki.serverKeystore, false);
             PahoMqttLink link = new PahoMqttLink(MqttSettings.of(broker.sslUrl(), "wrong-ca")
                     .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500)).withTls(other.caPem, null, null)).start()) {
            assertFalse(link.awaitConnected(Duration.ofSeconds(3)), "a broker certificate from another CA is not trusted");
        }
    }

    @Test void pemErrorsNameTheFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a pem\n");
        MqttLinkException e = assertThrows(MqttLinkException.class, () -> PemTls.socketFactory(empty, null, null));
        assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
        TestPki pki = new TestPki(dir);
        e = assertThrows(MqttLinkException.class, () -> PemTls.socketFactory(pki.caPem, pki.clientCertPem, empty));
        assertTrue(e.getMessage().contains("no unencrypted PRIVATE KEY"), e.getMessage());
    }
}
