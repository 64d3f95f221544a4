package dev.vgate.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An in-process MQTT v5 broker (Moquette) on a loopback port, anonymous, nothing persisted: the broker of
 * {@code vgate demo}, and of the tests through mqtt's test-jar {@code EmbeddedBroker}.
 * <p>
 * Moquette is an <em>optional</em> dependency of vgate-mqtt, so it never reaches the runtime of the modules
 * that only use the MQTT client (buffer, edge-rules): a module that starts a broker declares moquette-broker
 * itself, as the agent does for the demo.
 */
public final class MoquetteBroker implements AutoCloseable {
    /** A TLS listener too: PKCS12 keystore holding the server key, its password, the port, and whether client certificates are required. */
    public record Tls(Path keystore, String password, int port, boolean needClientAuth) {}

    private final Server server;
    private final int port;

    private MoquetteBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a plain-TCP broker on a free loopback port. */
    public static MoquetteBroker start(Path dataDir) throws IOException { return start(freePort(), dataDir, null); }

    /** Starts a broker on {@code port} of 127.0.0.1, with a TLS listener as well when {@code tls} is not null. */
    public static MoquetteBroker start(int port, Path dataDir, Tls tls) throws IOException {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(16 * 1024 * 1024));
        if (tls != null) {
            p.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, Integer.toString(tls.port()));
            p.setProperty(IConfig.JKS_PATH_PROPERTY_NAME, tls.keystore().toString());
            p.setProperty(IConfig.KEY_STORE_TYPE, "pkcs12");
            p.setProperty(IConfig.KEY_STORE_PASSWORD_PROPERTY_NAME, tls.password());
            p.setProperty(IConfig.KEY_MANAGER_PASSWORD_PROPERTY_NAME, tls.password());
            p.setProperty(BrokerConstants.NEED_CLIENT_AUTH, Boolean.toString(tls.needClientAuth()));
        }
        Server s = new Server();
        s.startServer(new MemoryConfig(p));
        return new MoquetteBroker(s, port);
    }

    public int port() { return port; }

    public String url() { return "tcp://127.0.0.1:" + port; }

    /** Stops the broker; its clients' connections drop. */
    @Override public void close() { server.stopServer(); }

    /** A loopback port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
