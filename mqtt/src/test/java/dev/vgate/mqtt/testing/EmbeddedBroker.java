package dev.vgate.mqtt.testing;

import dev.vgate.mqtt.MoquetteBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-process MQTT v5 broker ({@link MoquetteBroker}) on a free loopback port, for tests. It can be stopped and
 * started again on the same port to simulate an outage. Shared with other modules via mqtt's test-jar.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private final Path tlsKeystore;   // PKCS12 with the server key; null = plain TCP only
    private final boolean needClientAuth;
    private int sslPort;
    private MoquetteBroker server;

    private EmbeddedBroker(int port, Path tlsKeystore, boolean needClientAuth) {
        this.port = port;
        this.tlsKeystore = tlsKeystore;
        this.needClientAuth = needClientAuth;
        this.sslPort = tlsKeystore == null ? 0 : freePort();
        try {
            this.dataDir = Files.createTempDirectory("vgate-moquette");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker on a free port. */
    public static EmbeddedBroker start() {
        EmbeddedBroker b = new EmbeddedBroker(freePort(), null, false);
        b.startAgain();
        return b;
    }

    /** Starts a broker that also listens with TLS (keystore: PKCS12, password "changeit"), optionally requiring client certificates. */
    public static EmbeddedBroker startTls(Path serverKeystore, boolean needClientAuth) {
        EmbeddedBroker b = new EmbeddedBroker(freePort(), serverKeystore, needClientAuth);
        b.startAgain();
        return b;
    }

    public String sslUrl() { return "ssl://127.0.0.1:" + sslPort; }

    public int port() { return port; }

    public String url() { return "tcp://127.0.0.1:" + port; }

    public synchronized void startAgain() {
        if (server != null) return;
        try {
            server = MoquetteBroker.start(port, dataDir, tlsKeystore == null ? null : new MoquetteBroker.Tls(tlsKeystore, "changeit", sslPort, needClientAuth));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded broker did not start on port " + port, e);
        }
    }

    /** Stops the broker (connections drop); {@link #startAgain()} brings it back on the same port. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public synchronized boolean isRunning() { return server != null; }

    @Override public void close() { stop(); }

    public static int freePort() { return MoquetteBroker.freePort(); }
}
