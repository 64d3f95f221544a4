package dev.vgate.agent.config;

import dev.vgate.mqtt.MqttSettings;

import java.time.Duration;

/**
 * The MQTT v5 broker connection.
 *
 * @param url           {@code ssl://host:8883} (or tcp://, ws://, wss://)
 * @param clientId      MQTT client identifier
 * @param username      optional user name
 * @param password      optional password (masked in logs)
 * @param tls           PEM files; only with ssl:// or wss://
 * @param keepalive     MQTT keep-alive interval, whole seconds
 * @param sessionExpiry how long the broker keeps the session (and queued QoS 1 messages) after a disconnect
 * @param topicPrefix   every topic vgate uses starts with this, e.g. {@code vgate/KMHK381GFMU123456}
 * @param connectTimeout how long one connection attempt may take
 * @param reconnectMin  first delay before reconnecting after the link drops; it doubles up to reconnectMax
 * @param reconnectMax  longest delay between reconnect attempts
 */
public record MqttConfig(String url, String clientId, String username, Secret password, TlsConfig tls,
                         Duration keepalive, Duration sessionExpiry, String topicPrefix, Duration connectTimeout,
                         Duration reconnectMin, Duration reconnectMax) {
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofHours(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(60);

    public MqttConfig {
        if (tls == null) tls = TlsConfig.NONE;
    }

    /** A broker connection with every timing at its default. */
    public static MqttConfig of(String url, String clientId, String topicPrefix) {
        return new MqttConfig(url, clientId, null, null, TlsConfig.NONE, DEFAULT_KEEPALIVE, DEFAULT_SESSION_EXPIRY,
                topicPrefix, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
    }

    /** The MQTT module's settings for this connection (call on a validated configuration). */
    public MqttSettings toSettings() {
        return new MqttSettings(url, clientId, sessionExpiry, keepalive, connectTimeout, reconnectMin, reconnectMax,
                tls.ca(), tls.cert(), tls.key(), username, password == null ? null : password.reveal());
    }

    /** Whether the URL asks for an encrypted connection. */
    public boolean isTls() {
        return url != null && (url.startsWith("ssl://") || url.startsWith("wss://"));
    }
}
