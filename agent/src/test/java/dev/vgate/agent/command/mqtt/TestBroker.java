package dev.vgate.agent.command.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;

/** An embedded Moquette MQTT v5 broker on a free loopback port (until mqtt's shared fixture is on main). */
public final class TestBroker implements AutoCloseable {
    private final Server server = new Server();
    private final int port;

    public TestBroker() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(1024 * 1024));
        server.startServer(new MemoryConfig(p));
    }

    public String url() { return "tcp://127.0.0.1:" + port; }

    @Override public void close() { server.stopServer(); }
}
