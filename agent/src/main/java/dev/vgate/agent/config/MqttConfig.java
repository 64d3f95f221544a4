package dev.vgate.agent.config;

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
 */
public record MqttConfig(String url, String clientId, String username, Secret password, TlsConfig tls,
                         Duration keepalive, Duration sessionExpiry, String topicPrefix) {
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);

    public MqttConfig {
        if (tls == null) tls = TlsConfig.NONE;
    }

    /** Whether the URL asks for an encrypted connection. */
    public boolean isTls() {
        return url != null && (url.startsWith("ssl://") || url.startsWith("wss://"));
    }
}
