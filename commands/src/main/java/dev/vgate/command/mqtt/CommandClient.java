package dev.vgate.command.mqtt;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.command.CommandException;
import dev.vgate.protocol.command.CommandResponse;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cloud side of the protocol (CLI {@code vgate cmd send}, tests, benchmarks): publishes signed
 * commands with a private response topic, correlation data and message expiry, and completes two
 * futures per command — the ACK and the RESULT — matched by correlation data. Thread-safe.
 */
public final class CommandClient implements AutoCloseable {
    /** What came back for one command; times are {@link System#nanoTime()} at arrival. */
    public static final class Exchange {
        public final long sentNanos;
        public final CompletableFuture<CommandResponse> ack = new CompletableFuture<>();
        public final CompletableFuture<CommandResponse> result = new CompletableFuture<>();
        volatile long ackNanos;
        volatile long resultNanos;

        Exchange(long sentNanos) { this.sentNanos = sentNanos; }

        public long ackNanos() { return ackNanos; }
        public long resultNanos() { return resultNanos; }
    }

    private final MqttAsyncClient client;
    private final String responseTopic;
    private final Map<ByteBuffer, Exchange> pending = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    private CommandClient(MqttAsyncClient client, String responseTopic) {
        this.client = client;
        this.responseTopic = responseTopic;
    }

    /** Connects to {@code brokerUrl} (tcp://host:port or ssl://...) and subscribes to a private response topic. */
    public static CommandClient connect(String brokerUrl, long timeoutMs) throws CommandException {
        String id = "vgate-cmd-" + UUID.randomUUID();
        try {
            MqttAsyncClient c = new MqttAsyncClient(brokerUrl, id, new MemoryPersistence());
            CommandClient cc = new CommandClient(c, "vgate-cloud/" + id + "/responses");
            c.setCallback(cc.callback());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            if (brokerUrl.startsWith("tcp://")) o.setSocketFactory(dev.vgate.mqtt.NoDelaySockets.plain()); // see NoDelaySockets
            o.setAutomaticReconnect(false);
            o.setConnectionTimeout((int) Math.max(1, timeoutMs / 1000));
            c.connect(o).waitForCompletion(timeoutMs);
            c.subscribe(cc.responseTopic, 1).waitForCompletion(timeoutMs);
            return cc;
        } catch (MqttException e) {
            throw new CommandException("cannot connect to broker " + brokerUrl + ": " + e.getMessage(), e);
        }
    }

    /** Publishes an envelope to {@code vgate/{vehicle}/cmd} (QoS 1, message expiry {@code expirySeconds}). */
    public Exchange send(String vehicleId, byte[] envelope, long expirySeconds) throws CommandException {
        return sendTo(CommandTopics.commands(vehicleId), envelope, expirySeconds);
    }

    /** Publishes an envelope to a command topic ({@code PREFIX/cmd} when the agent has its own topic prefix). */
    public Exchange sendTo(String topic, byte[] envelope, long expirySeconds) throws CommandException {
        byte[] correlation = ByteBuffer.allocate(16).putLong(counter.incrementAndGet()).putLong(System.nanoTime()).array();
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(responseTopic);
        p.setCorrelationData(correlation);
        if (expirySeconds > 0) p.setMessageExpiryInterval(expirySeconds);
        p.setContentType("application/x-protobuf");
        MqttMessage m = new MqttMessage(envelope, 1, false, p);
        Exchange ex = new Exchange(System.nanoTime());
        pending.put(ByteBuffer.wrap(correlation), ex);
        try {
            client.publish(topic, m);
        } catch (MqttException e) {
            pending.remove(ByteBuffer.wrap(correlation));
            throw new CommandException("publish failed: " + e.getMessage(), e);
        }
        return ex;
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                byte[] corr = message.getProperties() == null ? null : message.getProperties().getCorrelationData();
                Exchange ex = corr == null ? null : pending.get(ByteBuffer.wrap(corr));
                if (ex == null) {
                    Logger.warn("response on {} without a matching correlation id", topic);
                    return;
                }
                CommandResponse r;
                try {
                    r = CommandResponse.parseFrom(message.getPayload());
                } catch (InvalidProtocolBufferException e) {
                    Logger.warn("unparsable response on {}: {}", topic, e.getMessage());
                    return;
                }
                if (r.getStage() == CommandResponse.Stage.ACK) {
                    ex.ackNanos = now;
                    ex.ack.complete(r);
                } else {
                    ex.resultNanos = now;
                    pending.remove(ByteBuffer.wrap(corr));
                    ex.result.complete(r);
                }
            }

            @Override public void disconnected(MqttDisconnectResponse response) {
                Exception e = new CommandException("disconnected from broker: " + response.getReasonString());
                pending.values().forEach(ex -> { ex.ack.completeExceptionally(e); ex.result.completeExceptionally(e); });
            }

            @Override public void mqttErrorOccurred(MqttException exception) { Logger.warn("MQTT error: {}", exception.getMessage()); }
            @Override public void deliveryComplete(IMqttToken token) {}
            @Override public void connectComplete(boolean reconnect, String serverURI) {}
            @Override public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        };
    }

    @Override public void close() {
        try {
            if (client.isConnected()) client.disconnect().waitForCompletion(2000);
            client.close();
        } catch (MqttException e) {
            Logger.debug("closing command client: {}", e.getMessage());
        }
    }
}
