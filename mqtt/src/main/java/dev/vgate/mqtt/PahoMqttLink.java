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
 * <p>The link keeps trying, whatever the failure, until {@link #close}: a connect that fails, a broker that
 * accepts the TCP connection and never answers the CONNECT (Paho itself waits for a CONNACK forever: a
 * supervisor abandons the attempt after the connect timeout), and a broker that drops the session right after
 * its CONNACK (mosquitto's "protocol error" after a restart: its DISCONNECT can reach the link before Paho's
 * connect-success callback, or that callback never runs). Every attempt has a number; callbacks of an attempt
 * that is no longer the current one are ignored, and a periodic check reschedules a link that is neither
 * connected nor connecting. The back-off restarts from its minimum only after a connection that stayed up
 * {@link #STABLE_MILLIS}, so a broker that refuses a session at once sees the back-off grow, not a retry every 0.5 s.
 *
 * <p>Publishes are not buffered here while disconnected: the caller (the telemetry buffer, the alert
 * path) owns durability and retries; a publish that cannot be acknowledged fails its future. While connected,
 * a publish that Paho refuses because the broker's Receive Maximum is reached ("too many publishes in
 * progress") waits in a bounded queue and is sent when an earlier one completes: it is neither dropped nor
 * failed for that reason (a command response, whose sender does not retry, would otherwise be lost).
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

    /** At most this many publishes wait for a free in-flight slot; beyond it publish fails its future (the caller retries). */
    static final int MAX_WAITING = 10_000;

    /** A connection that lasted this long resets the back-off to its minimum. */
    static final long STABLE_MILLIS = 10_000;

    /** A publish Paho refused with "too many publishes in progress", waiting for an in-flight slot. */
    private record Waiting(String topic, MqttMessage message, CompletableFuture<PublishResult> result) {}

    private final MqttSettings settings;
    private final SharedPahoExecutor shared;
    private volatile MqttAsyncClient client; // a new one for every attempt after the first (see replaceClient)
    private final MqttConnectionOptions options;
    private final ScheduledExecutorService reconnects;
    private final java.util.concurrent.Executor dispatch;
    private final boolean sharedThreads;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Object routing = new Object(); // a message is either dispatched or held, never lost between the two
    private final List<Held> held = new ArrayList<>(); // guarded by routing
    private volatile long connection; // counts connects: an acknowledgement belongs to the connection that received the message
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<IMqttToken, CompletableFuture<PublishResult>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile boolean connecting; // an attempt is scheduled or running (guarded by this for writes)
    private long attempt; // guarded by this: the current attempt's number; callbacks of older attempts are ignored
    private long attemptStartedNanos;
    private boolean attempted; // guarded by this: a connect was tried (later attempts use a new client) // guarded by this: when the current attempt called connect (0: not yet)
    private long connectedAtNanos; // guarded by this
    private final long superviseMillis;
    private volatile java.util.concurrent.ScheduledFuture<?> supervisor;
    private int notUpChecks; // supervisor only
    private final java.util.ArrayDeque<Waiting> waiting = new java.util.ArrayDeque<>(); // guarded by itself
    /**
     * The broker's Receive Maximum from the current connection's CONNACK. The link never hands Paho more unacknowledged
     * QoS 1 publishes than this: Paho 1.2.5 assigns a topic's alias before it checks its own in-flight limit, so a
     * publish it refuses there leaves the alias registered but never sent, and every later publish on that topic goes
     * out as a bare alias that the broker rejects with a protocol error (TopicAliasInFlightTest).
     */
    private volatile int receiveMaximum = 65_535;
    private long backoffMillis;
    private volatile CountDownLatch firstConnect = new CountDownLatch(1);

    public PahoMqttLink(MqttSettings settings) throws MqttLinkException {
        this(settings, null);
    }

    /**
     * With {@code shared} non-null (many links in one JVM, e.g. the fleet simulator): Paho runs its network
     * loops and keep-alive pings on it ({@link SharedPahoExecutor}) instead of three threads and a timer of
     * its own, reconnects are scheduled on it, and incoming messages are dispatched serially over it; the
     * link then owns no thread of its own (Paho still needs its three blocking loops per connection).
     */
    public PahoMqttLink(MqttSettings settings, SharedPahoExecutor shared) throws MqttLinkException {
        this.settings = settings;
        this.sharedThreads = shared != null;
        this.shared = shared;
        try {
            this.client = newClient();
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
        this.reconnects = shared != null ? shared : Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mqtt-connect"));
        this.dispatch = shared != null ? shared.serial() : Executors.newSingleThreadExecutor(r -> daemon(r, "mqtt-dispatch"));
        this.backoffMillis = settings.reconnectMin().toMillis();
        this.superviseMillis = Math.max(200, Math.min(5000, settings.connectTimeout().toMillis() / 2));
    }

    private MqttAsyncClient newClient() throws MqttException {
        MqttAsyncClient c = shared == null ? new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence())
                : new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence(), null, shared);
        c.setCallback(new Callback(c));
        c.setManualAcks(true);
        return c;
    }

    /**
     * Every attempt after the first gets a new Paho client: Paho 1.2.5 re-sends a lost connection's unacknowledged
     * QoS 1 publishes on the next one as they went out, with the topic replaced by the previous connection's topic
     * alias, which the new connection does not know; the broker must treat that as a protocol error, and mosquitto
     * does (DISCONNECT 0x82), at every attempt. The link has already failed those publishes' futures (the caller
     * sends them again), so nothing is lost by dropping Paho's copy.
     */
    private void replaceClient() {
        MqttAsyncClient old = client;
        try {
            client = newClient();
        } catch (MqttException e) {
            Logger.error("cannot create a new MQTT client for {}: {}", settings.serverUri(), e.getMessage());
            return;
        }
        try {
            old.close(true);
        } catch (MqttException | RuntimeException e) {
            try {
                old.disconnectForcibly(0, 1000, false);
                old.close(true);
            } catch (MqttException | RuntimeException again) {
                Logger.debug("MQTT close of the previous client: {}", again.getMessage());
            }
        }
    }

    /** Starts connecting in the background and returns at once; the link keeps trying until {@link #close}. */
    public PahoMqttLink start() {
        scheduleConnect(0);
        try {
            supervisor = reconnects.scheduleWithFixedDelay(this::supervise, superviseMillis, superviseMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the shared executor is shutting down
        }
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
        Waiting w = new Waiting(topic, msg, result);
        synchronized (waiting) {
            if (!waiting.isEmpty()) { // earlier publishes wait for a slot: keep the order
                enqueue(w);
                return result;
            }
            if (!send(w)) enqueue(w);
        }
        return result;
    }

    /** Hands one publish to Paho; false if Paho refused it for want of an in-flight slot (the caller queues it). */
    private boolean send(Waiting w) {
        if (w.message().getQos() > 0 && inFlight.size() >= receiveMaximum) return false; // the broker's window is full
        try {
            IMqttToken token = client.publish(w.topic(), w.message(), null, new MqttActionListener() {
                @Override public void onSuccess(IMqttToken t) {
                    inFlight.remove(t);
                    w.result().complete(new PublishResult(reasonCode(t)));
                    sendWaiting();
                }

                @Override public void onFailure(IMqttToken t, Throwable e) {
                    inFlight.remove(t);
                    w.result().completeExceptionally(new MqttLinkException("publish to " + w.topic() + " failed: " + e.getMessage(), e));
                    sendWaiting();
                }
            });
            if (w.message().getQos() > 0 && !w.result().isDone()) {
                inFlight.put(token, w.result());
                if (w.result().isDone()) inFlight.remove(token); // completed between the two checks
            }
        } catch (MqttException e) {
            if (e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT && connected) return false;
            w.result().completeExceptionally(new MqttLinkException("publish to " + w.topic() + " failed: " + e.getMessage(), e));
        }
        return true;
    }

    private void enqueue(Waiting w) { // holds the waiting lock
        if (waiting.size() >= MAX_WAITING) {
            w.result().completeExceptionally(new MqttLinkException("publish to " + w.topic() + " refused: "
                    + MAX_WAITING + " publishes already wait for the broker's in-flight limit"));
            return;
        }
        boolean first = waiting.isEmpty();
        waiting.add(w);
        if (first) retryWaitingLater(); // in case no completion is pending to trigger it
    }

    /** Sends queued publishes, in order, while Paho has free in-flight slots (after a completion frees one). */
    private void sendWaiting() {
        synchronized (waiting) {
            while (!waiting.isEmpty()) {
                if (!connected) {
                    failWaiting("not connected to broker " + settings.serverUri());
                    return;
                }
                if (!send(waiting.peek())) {
                    retryWaitingLater();
                    return;
                }
                waiting.poll();
            }
        }
    }

    private void retryWaitingLater() {
        try {
            reconnects.schedule(this::sendWaiting, 50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closing: close() fails what waits
        }
    }

    private void failWaiting(String why) {
        synchronized (waiting) {
            for (Waiting w : waiting) w.result().completeExceptionally(new MqttLinkException("publish to " + w.topic() + " failed: " + why));
            waiting.clear();
        }
    }

    /** Publishes waiting for an in-flight slot (status, tests). */
    public int waitingPublishes() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** The Receive Maximum a CONNACK announces (65,535 when it names none, as MQTT v5 says). */
    private static int receiveMaximumOf(IMqttToken connect) {
        MqttWireMessage connack = connect.getResponse();
        Integer max = connack == null || connack.getProperties() == null ? null : connack.getProperties().getReceiveMaximum();
        return max == null || max <= 0 ? 65_535 : max;
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
        long n = ++attempt;
        attemptStartedNanos = 0;
        try {
            reconnects.schedule(() -> connectOnce(n), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            connecting = false;
        }
    }

    private void connectOnce(long n) {
        synchronized (this) {
            if (closed || n != attempt) return;
            if (attempted) replaceClient();
            attempted = true;
            attemptStartedNanos = System.nanoTime();
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override public void onSuccess(IMqttToken t) {
                    receiveMaximum = receiveMaximumOf(t);
                    onConnected(n);
                }

                @Override public void onFailure(IMqttToken t, Throwable e) { onConnectFailed(n, e); }
            });
        } catch (MqttException e) {
            onConnectFailed(n, e);
        }
    }

    /**
     * Runs every {@link #superviseMillis}: whatever went missing (a callback Paho did not make, a CONNACK that
     * never came), a link that is not closed ends up connected or with an attempt scheduled.
     */
    private void supervise() {
        if (closed) return;
        boolean pahoUp = client.isConnected();
        if (connected && !pahoUp) {
            // two checks in a row: Paho's disconnected() callback normally follows within milliseconds
            if (++notUpChecks >= 2) onConnectionLost("the MQTT client is no longer connected"); // it did not come
            return;
        }
        notUpChecks = 0;
        long stuck = 0;
        synchronized (this) {
            if (connecting && attemptStartedNanos != 0) {
                long ms = (System.nanoTime() - attemptStartedNanos) / 1_000_000;
                if (ms > settings.connectTimeout().toMillis() + superviseMillis) stuck = attempt;
            }
        }
        if (stuck != 0) {
            abandon(stuck);
        } else if (!connected && !connecting && !pahoUp) {
            long delay;
            synchronized (this) { delay = nextBackoff(); }
            Logger.warn("MQTT link to {} was neither connected nor connecting; retrying in {} ms", settings.serverUri(), delay);
            scheduleConnect(delay);
        }
    }

    /** Gives up an attempt that got no answer (Paho would wait for the CONNACK forever) and schedules the next. */
    private void abandon(long n) {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT forced disconnect of a stuck connect: {}", e.getMessage());
        }
        onConnectFailed(n, new MqttLinkException("no CONNACK within " + settings.connectTimeout().toMillis() + " ms"));
    }

    private void onConnected(long n) {
        synchronized (this) {
            if (closed || n != attempt || !connecting) return; // an abandoned attempt's late success
            connecting = false;
            if (!client.isConnected()) { // the broker's DISCONNECT overtook this callback: the session is already gone
                long delay = nextBackoff();
                Logger.warn("MQTT connection to {} ended right after its CONNACK; retrying in {} ms", settings.serverUri(), delay);
                scheduleConnect(delay);
                return;
            }
            connectedAtNanos = System.nanoTime();
            synchronized (routing) { // under this: a concurrent onConnectionLost sees the connection it ends
                connected = true;
                for (Subscription s : subscriptions) sendSubscribe(s);
            }
        }
        Logger.info("MQTT connected to {} as {}", settings.serverUri(), settings.clientId());
        for (ConnectionListener l : listeners) safely(() -> l.onConnectionChange(true, "connected"));
        firstConnect.countDown();
    }

    private void onConnectFailed(long n, Throwable e) {
        long delay;
        synchronized (this) {
            if (closed || n != attempt || !connecting) return; // already given up (abandon) or superseded
            connecting = false;
            delay = nextBackoff();
        }
        if (e instanceof MqttException m && (m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS
                || m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_CONNECTED
                || m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_DISCONNECTING)) {
            // Paho still holds an earlier connection's state: clear it so that the next attempt can start
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException | RuntimeException ignored) {
                Logger.debug("MQTT forced disconnect: {}", ignored.getMessage());
            }
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
        boolean was;
        synchronized (this) {
            was = connected;
            connected = false;
            if (connecting) {
                // the DISCONNECT came before the attempt's success callback (or instead of it): that attempt is over
                attempt++;
                connecting = false;
                Logger.warn("MQTT connection to {} ended during its connect: {}", settings.serverUri(), reason);
            }
            if (was && System.nanoTime() - connectedAtNanos >= STABLE_MILLIS * 1_000_000) backoffMillis = settings.reconnectMin().toMillis();
        }
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
        failWaiting("connection lost: " + reason);
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
        java.util.concurrent.ScheduledFuture<?> s = supervisor;
        if (s != null) s.cancel(false);
        if (!sharedThreads) reconnects.shutdownNow();
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
        failWaiting("MQTT link closed");
        if (!sharedThreads) ((ExecutorService) dispatch).shutdown();
    }

    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) { this.owner = owner; }

        @Override public void disconnected(MqttDisconnectResponse r) {
            if (owner != client) return; // a replaced client's last words
            String reason = r.getReasonString() != null ? r.getReasonString()
                    : r.getException() != null ? r.getException().getMessage() : "reason code " + r.getReturnCode();
            onConnectionLost(reason);
        }

        @Override public void mqttErrorOccurred(MqttException e) {
            Logger.warn("MQTT protocol error: {}", e.getMessage());
        }

        @Override public void messageArrived(String topic, MqttMessage m) {
            if (owner != client) return; // unacknowledged: the broker delivers it again in the next session
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
