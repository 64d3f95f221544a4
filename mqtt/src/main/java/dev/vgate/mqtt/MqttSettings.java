package dev.vgate.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the broker. {@code serverUri} is {@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://host:port}; with TLS,
 * {@code caFile} (PEM) verifies the broker, and {@code certFile}+{@code keyFile} (PEM) add mutual TLS.
 */
public record MqttSettings(String serverUri, String clientId, Duration sessionExpiry, Duration keepAlive,
                           Duration connectTimeout, Duration reconnectMin, Duration reconnectMax,
                           Path caFile, Path certFile, Path keyFile, String username, String password) {

    public MqttSettings {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(clientId, "clientId");
        if (!serverUri.startsWith("tcp://") && !serverUri.startsWith("ssl://") && !serverUri.startsWith("ws://") && !serverUri.startsWith("wss://"))
            throw new IllegalArgumentException("mqtt url must start with tcp://, ssl://, ws:// or wss://, found " + serverUri);
        if ((certFile == null) != (keyFile == null))
            throw new IllegalArgumentException("mqtt client certificate and key must be given together");
        if (certFile != null && !isTls(serverUri))
            throw new IllegalArgumentException("a client certificate needs an ssl:// or wss:// url");
        if (reconnectMin.isNegative() || reconnectMax.compareTo(reconnectMin) < 0)
            throw new IllegalArgumentException("mqtt reconnect delays: need 0 <= min <= max");
    }

    static boolean isTls(String uri) { return uri.startsWith("ssl://") || uri.startsWith("wss://"); }

    /** Plain TCP with gateway defaults: 1 h session expiry, 30 s keepalive, reconnect 0.5 s .. 60 s. */
    public static MqttSettings of(String serverUri, String clientId) {
        return new MqttSettings(serverUri, clientId, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMillis(500), Duration.ofSeconds(60), null, null, null, null, null);
    }

    public MqttSettings withTls(Path ca, Path cert, Path key) {
        return new MqttSettings(serverUri, clientId, sessionExpiry, keepAlive, connectTimeout, reconnectMin, reconnectMax,
                ca, cert, key, username, password);
    }

    public MqttSettings withReconnect(Duration min, Duration max) {
        return new MqttSettings(serverUri, clientId, sessionExpiry, keepAlive, connectTimeout, min, max,
                caFile, certFile, keyFile, username, password);
    }

    public MqttSettings withCredentials(String user, String pass) {
        return new MqttSettings(serverUri, clientId, sessionExpiry, keepAlive, connectTimeout, reconnectMin, reconnectMax,
                caFile, certFile, keyFile, user, pass);
    }
}
