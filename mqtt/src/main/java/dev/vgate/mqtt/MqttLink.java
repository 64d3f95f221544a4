package dev.vgate.mqtt;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * vgate's one MQTT v5 session to the broker (persistent session, automatic reconnect with backoff).
 * Publishing never blocks the caller; the future completes when the broker's PUBACK arrives.
 */
public interface MqttLink extends AutoCloseable {

    /** Options for one publish. {@code messageExpirySeconds} 0 = none. */
    record PublishOptions(int qos, boolean retain, long messageExpirySeconds, Map<String, String> userProperties,
                          String responseTopic, byte[] correlationData, String contentType) {
        public static PublishOptions qos1() { return new PublishOptions(1, false, 0, Map.of(), null, null, null); }
    }

    /** Outcome of a publish: the PUBACK reason code (0 success, 0x10 no matching subscribers; >= 0x80 failure). */
    record PublishResult(int reasonCode) {
        public boolean isSuccess() { return reasonCode < 0x80; }
    }

    /** A received message with its MQTT v5 request/response properties. */
    record Incoming(String topic, byte[] payload, String responseTopic, byte[] correlationData,
                    Map<String, String> userProperties, long messageExpirySeconds) {}

    @FunctionalInterface
    interface MessageHandler { void onMessage(Incoming message); }

    @FunctionalInterface
    interface ConnectionListener { void onConnectionChange(boolean connected, String reason); }

    /** Publishes; the future fails with {@link MqttLinkException} if not connected or the broker refuses. */
    CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options);

    /**
     * Hands messages on {@code topicFilter} to {@code handler}, and subscribes now and again after every
     * reconnect. The future completes when the broker's SUBACK grants the subscription (fails if it refuses).
     * A message that arrives before any handler matches it (a persistent session delivers its queue right
     * after the connect) is held, unacknowledged, until one registers: it is never dropped for being early.
     */
    CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler);

    /**
     * Stops handing messages to {@code handler} (a part that stops). The broker keeps the subscription, so
     * the persistent session keeps queueing: later messages are held unacknowledged and, if the session ends
     * first, delivered again in the next one.
     */
    default void removeHandler(MessageHandler handler) {}

    boolean isConnected();

    void addConnectionListener(ConnectionListener listener);

    @Override void close();
}
