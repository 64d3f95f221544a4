package dev.vgate.agent.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

/** The demo's MQTT v5 broker: Moquette in this JVM, on a free loopback port, nothing kept on disk. */
final class DemoBroker implements AutoCloseable {
    private final Server server = new Server();
    private final int port;

    private DemoBroker(int port) { this.port = port; }

    static DemoBroker start(Path dataDir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(16 * 1024 * 1024));
        DemoBroker b = new DemoBroker(port);
        b.server.startServer(new MemoryConfig(p));
        return b;
    }

    String url() { return "tcp://127.0.0.1:" + port; }

    @Override public void close() { server.stopServer(); }
}
