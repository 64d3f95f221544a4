package dev.vgate.mqtt.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An in-process MQTT v5 broker (Moquette) on a free loopback port, for tests. It can be stopped and
 * started again on the same port to simulate an outage. Shared with other modules via mqtt's test-jar.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private final Path tlsKeystore;   // PKCS12 with the server key; null = plain TCP only
    private final boolean needClientAuth;
    private int sslPort;
    private Server server;

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
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(16 * 1024 * 1024));
        if (tlsKeystore != null) {
            p.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, Integer.toString(sslPort));
            p.setProperty(IConfig.JKS_PATH_PROPERTY_NAME, tlsKeystore.toString());
            p.setProperty(IConfig.KEY_STORE_TYPE, "pkcs12");
            p.setProperty(IConfig.KEY_STORE_PASSWORD_PROPERTY_NAME, "changeit");
            p.setProperty(IConfig.KEY_MANAGER_PASSWORD_PROPERTY_NAME, "changeit");
            p.setProperty(io.moquette.BrokerConstants.NEED_CLIENT_AUTH, Boolean.toString(needClientAuth));
        }
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded broker did not start on port " + port, e);
        }
        server = s;
    }

    /** Stops the broker (connections drop); {@link #startAgain()} brings it back on the same port. */
    public synchronized void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    public synchronized boolean isRunning() { return server != null; }

    @Override public void close() { stop(); }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
