package dev.vgate.buffer.testing;

import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A hand-written MqttLink: records publishes; answers each with the configured reason code, or holds them. */
public final class InMemoryMqttLink implements MqttLink {
    public record Published(String topic, byte[] payload, PublishOptions options, CompletableFuture<PublishResult> future) {}

    public final List<Published> published = new ArrayList<>();
    public volatile boolean connected = true;
    /** Reason code for the next PUBACKs; -1 = do not answer (the test completes futures itself). */
    public volatile int reasonCode = 0;

    @Override public synchronized CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options) {
        CompletableFuture<PublishResult> f = new CompletableFuture<>();
        if (!connected) {
            f.completeExceptionally(new MqttLinkException("not connected"));
            return f;
        }
        published.add(new Published(topic, payload, options, f));
        if (reasonCode >= 0) f.complete(new PublishResult(reasonCode));
        return f;
    }

    public synchronized List<Published> published() { return new ArrayList<>(published); }

    @Override public java.util.concurrent.CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler) { return java.util.concurrent.CompletableFuture.completedFuture(null); }

    @Override public boolean isConnected() { return connected; }

    @Override public void addConnectionListener(ConnectionListener listener) { }

    @Override public void close() { connected = false; }
}
