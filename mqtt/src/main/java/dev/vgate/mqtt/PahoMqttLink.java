package dev.vgate.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link MqttLink} on Eclipse Paho's MQTT v5 async client.
 *
 * <p>Why our own reconnect loop instead of Paho's automatic reconnect: Paho only reconnects after a first
 * successful connect, and a gateway often boots with no network. So every (re)connect goes through
 * {@link #scheduleConnect}: exponential backoff with jitter, a persistent session (clean start false) so
 * the broker keeps our subscriptions and queued commands while we are away.
 *
 * <p>Publishes are not buffered here while disconnected: the caller (the telemetry buffer, the alert
 * path) owns durability and retries; a publish that cannot be acknowledged fails its future.
 * Incoming messages are handed to handlers on one dispatch thread, in arrival order, so a slow handler
 * never stalls Paho's network threads.
 *
 * <p>Subscribe before you receive: acknowledgements are manual. A message is acknowledged (PUBACK) only
 * after its handlers have run; one that no handler matches yet (the persistent session's queue arrives
 * right after the CONNACK, before the parts have registered) is held unacknowledged until a matching
 * {@link #subscribe} registers. Held messages of a connection that ends are forgotten: the broker
 * delivers them again in the next session.
 */
public final class PahoMqttLink implements MqttLink {
    private record Subscription(String filter, int qos, MessageHandler handler, CompletableFuture<Void> granted) {}

    /** A message no handler matched when it arrived, with what its acknowledgement needs. */
    private record Held(Incoming message, int id, int qos, long connection) {}

    /** At most this many early messages are held; beyond it they are acknowledged and dropped, loudly. */
    static final int MAX_HELD = 1000;

    private final MqttSettings settings;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final ScheduledExecutorService reconnects;
    private final ExecutorService dispatch;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Object routing = new Object(); // a message is either dispatched or held, never lost between the two
    private final List<Held> held = new ArrayList<>(); // guarded by routing
    private volatile long connection; // counts connects: an acknowledgement belongs to the connection that received the message
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<IMqttToken, CompletableFuture<PublishResult>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile boolean connecting;
    private long backoffMillis;
    private volatile CountDownLatch firstConnect = new CountDownLatch(1);

    public PahoMqttLink(MqttSettings settings) throws MqttLinkException {
        this.settings = settings;
        try {
            this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new MqttLinkException("cannot create MQTT client for " + settings.serverUri() + ": " + e.getMessage(), e);
        }
        this.options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        if (settings.username() != null) options.setUserName(settings.username());
        if (settings.password() != null) options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        // TCP_NODELAY: small MQTT packets must not wait for the peer's delayed ACK (NoDelaySockets)
        options.setSocketFactory(MqttSettings.isTls(settings.serverUri())
                ? NoDelaySockets.tls(PemTls.socketFactory(settings.caFile(), settings.certFile(), settings.keyFile()))
                : NoDelaySockets.plain());
        client.setCallback(new Callback());
        client.setManualAcks(true);
        this.reconnects = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mqtt-connect"));
        this.dispatch = Executors.newSingleThreadExecutor(r -> daemon(r, "mqtt-dispatch"));
        this.backoffMillis = settings.reconnectMin().toMillis();
    }

    /** Starts connecting in the background and returns at once; the link keeps trying until {@link #close}. */
    public PahoMqttLink start() {
        scheduleConnect(0);
        return this;
    }

    /** Waits until connected (for command-line tools and tests); false on timeout. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        if (connected) return true;
        return firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && connected;
    }

    @Override public boolean isConnected() { return connected; }

    /** How many early messages wait for a handler (status, tests). */
    public int heldMessages() {
        synchronized (routing) {
            return held.size();
        }
    }

    @Override public void addConnectionListener(ConnectionListener listener) { listeners.add(listener); }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions o) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        if (!connected) {
            result.completeExceptionally(new MqttLinkException("not connected to broker " + settings.serverUri()));
            return result;
        }
        MqttMessage msg = new MqttMessage(payload);
        msg.setQos(o.qos());
        msg.setRetained(o.retain());
        MqttProperties props = new MqttProperties();
        if (o.messageExpirySeconds() > 0) props.setMessageExpiryInterval(o.messageExpirySeconds());
        if (o.responseTopic() != null) props.setResponseTopic(o.responseTopic());
        if (o.correlationData() != null) props.setCorrelationData(o.correlationData());
        if (o.contentType() != null) props.setContentType(o.contentType());
        if (o.userProperties() != null && !o.userProperties().isEmpty()) {
            List<UserProperty> ups = new ArrayList<>(o.userProperties().size());
            o.userProperties().forEach((k, v) -> ups.add(new UserProperty(k, v)));
            props.setUserProperties(ups);
        }
        msg.setProperties(props);
        try {
            IMqttToken token = client.publish(topic, msg, null, new MqttActionListener() {
                @Override public void onSuccess(IMqttToken t) {
                    inFlight.remove(t);
                    result.complete(new PublishResult(reasonCode(t)));
                }

                @Override public void onFailure(IMqttToken t, Throwable e) {
                    inFlight.remove(t);
                    result.completeExceptionally(new MqttLinkException("publish to " + topic + " failed: " + e.getMessage(), e));
                }
            });
            if (o.qos() > 0 && !result.isDone()) {
                inFlight.put(token, result);
                if (result.isDone()) inFlight.remove(token); // completed between the two checks
            }
        } catch (MqttException e) {
            result.completeExceptionally(new MqttLinkException("publish to " + topic + " failed: " + e.getMessage(), e));
        }
        return result;
    }

    private static int reasonCode(IMqttToken t) {
        MqttWireMessage response = t.getResponse();
        int[] codes = response == null ? null : response.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler) {
        Subscription s = new Subscription(topicFilter, qos, handler, new CompletableFuture<>());
        synchronized (routing) {
            subscriptions.add(s);
            for (java.util.Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                Held h = it.next();
                if (!TopicFilter.matches(topicFilter, h.message().topic())) continue;
                it.remove();
                dispatch(h, List.of(s));
            }
            if (connected) sendSubscribe(s); // under the lock: SUBSCRIBEs go out in the order subscribe() was called
        }
        return s.granted();
    }

    @Override
    public void removeHandler(MessageHandler handler) {
        subscriptions.removeIf(s -> s.handler() == handler);
    }

    /** Runs the handlers on the dispatch thread, then acknowledges (if the message's connection still stands). */
    private void dispatch(Held h, List<Subscription> to) {
        try {
            dispatch.execute(() -> {
                for (Subscription s : to) safely(() -> s.handler().onMessage(h.message()));
                acknowledge(h);
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the link is closing: unacknowledged, so the broker delivers it again in the next session
        }
    }

    private void acknowledge(Held h) {
        if (h.qos() == 0 || h.connection() != connection) return; // its connection ended: redelivered in the next session
        try {
            client.messageArrivedComplete(h.id(), h.qos());
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT acknowledgement of message {} failed: {}", h.id(), e.getMessage());
        }
    }

    private void sendSubscribe(Subscription s) {
        try {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(s.filter(), s.qos())}, null, new MqttActionListener() {
                @Override public void onSuccess(IMqttToken t) {
                    int rc = reasonCode(t);
                    if (rc >= 0x80) {
                        Logger.error("MQTT broker refused subscription to {} (reason code 0x{})", s.filter(), Integer.toHexString(rc));
                        s.granted().completeExceptionally(new MqttLinkException("broker refused subscription to " + s.filter()
                                + " (reason code 0x" + Integer.toHexString(rc) + ")"));
                    } else {
                        Logger.debug("subscribed to {}", s.filter());
                        s.granted().complete(null);
                    }
                }

                @Override public void onFailure(IMqttToken t, Throwable e) {
                    Logger.warn("MQTT subscribe to {} failed: {}", s.filter(), e.getMessage()); // sent again after the reconnect
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            Logger.warn("MQTT subscribe to {} failed: {}", s.filter(), e.getMessage());
        }
    }

    private synchronized void scheduleConnect(long delayMillis) {
        if (closed || connecting) return;
        connecting = true;
        reconnects.schedule(this::connectOnce, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void connectOnce() {
        if (closed) return;
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override public void onSuccess(IMqttToken t) { onConnected(); }

                @Override public void onFailure(IMqttToken t, Throwable e) { onConnectFailed(e); }
            });
        } catch (MqttException e) {
            onConnectFailed(e);
        }
    }

    private void onConnected() {
        synchronized (this) {
            connecting = false;
            backoffMillis = settings.reconnectMin().toMillis();
        }
        Logger.info("MQTT connected to {} as {}", settings.serverUri(), settings.clientId());
        synchronized (routing) {
            connected = true;
            for (Subscription s : subscriptions) sendSubscribe(s);
        }
        for (ConnectionListener l : listeners) safely(() -> l.onConnectionChange(true, "connected"));
        firstConnect.countDown();
    }

    private void onConnectFailed(Throwable e) {
        long delay;
        synchronized (this) {
            connecting = false;
            delay = nextBackoff();
        }
        Logger.warn("MQTT connect to {} failed ({}); retrying in {} ms", settings.serverUri(), e.getMessage(), delay);
        scheduleConnect(delay);
    }

    /** Exponential backoff with +-25 % jitter, so a fleet does not reconnect in lockstep after a broker restart. */
    private long nextBackoff() {
        long base = backoffMillis;
        backoffMillis = Math.min(settings.reconnectMax().toMillis(), Math.max(1, base * 2));
        double jitter = 0.75 + 0.5 * ThreadLocalRandom.current().nextDouble();
        return Math.max(0, (long) (base * jitter));
    }

    private void onConnectionLost(String reason) {
        boolean was = connected;
        connected = false;
        synchronized (routing) {
            connection++; // acknowledgements still queued for the old connection are not sent
            held.clear(); // unacknowledged: the broker delivers them again in the next session
        }
        if (firstConnect.getCount() == 0) firstConnect = new CountDownLatch(1);
        // In-flight publishes may still be acknowledged after a reconnect (persistent session), but the caller
        // must not wait for that: it fails now and retries; duplicates are recognisable by their sequence.
        for (Map.Entry<IMqttToken, CompletableFuture<PublishResult>> e : inFlight.entrySet()) {
            e.getValue().completeExceptionally(new MqttLinkException("connection lost before PUBACK: " + reason));
        }
        inFlight.clear();
        if (was) {
            Logger.warn("MQTT connection to {} lost: {}", settings.serverUri(), reason);
            for (ConnectionListener l : listeners) safely(() -> l.onConnectionChange(false, reason));
        }
        if (!closed) {
            long delay;
            synchronized (this) { delay = nextBackoff(); }
            scheduleConnect(delay);
        }
    }

    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        try {
            if (client.isConnected()) client.disconnect(2000).waitForCompletion(3000);
        } catch (MqttException e) {
            Logger.debug("MQTT disconnect: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            Logger.debug("MQTT close: {}", e.getMessage());
        }
        connected = false;
        for (CompletableFuture<PublishResult> f : inFlight.values()) f.completeExceptionally(new MqttLinkException("MQTT link closed"));
        inFlight.clear();
        dispatch.shutdown();
    }

    private final class Callback implements MqttCallback {
        @Override public void disconnected(MqttDisconnectResponse r) {
            String reason = r.getReasonString() != null ? r.getReasonString()
                    : r.getException() != null ? r.getException().getMessage() : "reason code " + r.getReturnCode();
            onConnectionLost(reason);
        }

        @Override public void mqttErrorOccurred(MqttException e) {
            Logger.warn("MQTT protocol error: {}", e.getMessage());
        }

        @Override public void messageArrived(String topic, MqttMessage m) {
            MqttProperties p = m.getProperties();
            Map<String, String> ups = new LinkedHashMap<>();
            if (p != null && p.getUserProperties() != null) for (UserProperty u : p.getUserProperties()) ups.put(u.getKey(), u.getValue());
            Long expiry = p == null ? null : p.getMessageExpiryInterval();
            Incoming in = new Incoming(topic, m.getPayload(), p == null ? null : p.getResponseTopic(),
                    p == null ? null : p.getCorrelationData(), Map.copyOf(ups), expiry == null ? 0 : expiry);
            synchronized (routing) {
                Held h = new Held(in, m.getId(), m.getQos(), connection);
                List<Subscription> to = new ArrayList<>();
                for (Subscription s : subscriptions) if (TopicFilter.matches(s.filter(), topic)) to.add(s);
                if (!to.isEmpty()) {
                    dispatch(h, to);
                } else if (held.size() < MAX_HELD) {
                    held.add(h); // early: its handler has not registered yet
                } else {
                    Logger.error("MQTT message on {} dropped: no handler and {} messages already held", topic, MAX_HELD);
                    dispatch(h, List.of());
                }
            }
        }

        @Override public void deliveryComplete(IMqttToken token) {}

        @Override public void connectComplete(boolean reconnect, String serverURI) {}

        @Override public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            Logger.error(e, "MQTT handler failed");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
