package dev.vgate.agent.command.mqtt;

import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal {@link MqttLink} over Paho for this module's tests (no reconnect); the agent uses the mqtt
 * module's implementation. Dispatches by exact topic; that is all the command tests need.
 */
public final class TestPahoLink implements MqttLink {
    private final MqttAsyncClient client;
    private final Map<String, MessageHandler> handlers = new HashMap<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

    public TestPahoLink(String url) throws MqttException {
        client = new MqttAsyncClient(url, "vgate-agent-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override public void messageArrived(String topic, MqttMessage m) {
                MessageHandler h;
                synchronized (handlers) { h = handlers.get(topic); }
                if (h == null) return;
                MqttProperties p = m.getProperties();
                Map<String, String> up = new HashMap<>();
                if (p.getUserProperties() != null) for (UserProperty u : p.getUserProperties()) up.put(u.getKey(), u.getValue());
                h.onMessage(new Incoming(topic, m.getPayload(), p.getResponseTopic(), p.getCorrelationData(), up,
                        p.getMessageExpiryInterval() == null ? 0 : p.getMessageExpiryInterval()));
            }
            @Override public void disconnected(MqttDisconnectResponse r) { listeners.forEach(l -> l.onConnectionChange(false, String.valueOf(r))); }
            @Override public void mqttErrorOccurred(MqttException e) {}
            @Override public void deliveryComplete(IMqttToken t) {}
            @Override public void connectComplete(boolean reconnect, String uri) {}
            @Override public void authPacketArrived(int code, MqttProperties p) {}
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o).waitForCompletion(5000);
    }

    @Override public CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options) {
        CompletableFuture<PublishResult> f = new CompletableFuture<>();
        MqttProperties p = new MqttProperties();
        if (options.responseTopic() != null) p.setResponseTopic(options.responseTopic());
        if (options.correlationData() != null) p.setCorrelationData(options.correlationData());
        if (options.messageExpirySeconds() > 0) p.setMessageExpiryInterval(options.messageExpirySeconds());
        if (options.contentType() != null) p.setContentType(options.contentType());
        try {
            client.publish(topic, new MqttMessage(payload, options.qos(), options.retain(), p), null, new MqttActionListener() {
                @Override public void onSuccess(IMqttToken t) { f.complete(new PublishResult(0)); }
                @Override public void onFailure(IMqttToken t, Throwable e) { f.completeExceptionally(new MqttLinkException("publish failed", e)); }
            });
        } catch (MqttException e) {
            f.completeExceptionally(new MqttLinkException("publish failed: " + e.getMessage(), e));
        }
        return f;
    }

    @Override public void subscribe(String topicFilter, int qos, MessageHandler handler) {
        synchronized (handlers) { handlers.put(topicFilter, handler); }
        try {
            client.subscribe(topicFilter, qos).waitForCompletion(5000);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public boolean isConnected() { return client.isConnected(); }

    @Override public void addConnectionListener(ConnectionListener listener) { listeners.add(listener); }

    @Override public void close() {
        try {
            client.disconnect().waitForCompletion(2000);
            client.close();
        } catch (MqttException ignored) {
            // test teardown
        }
    }
}
