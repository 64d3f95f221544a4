package dev.vgate.bench.fleet;

import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.upload.Uploader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.SharedPahoExecutor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One simulated vehicle: vgate's real telemetry pipeline — collector (the configured policy) → group commit →
 * its own SQLite buffer → uploader → its own MQTT v5 session (client id = vehicle id, clean start false,
 * QoS 1) — fed with a real recording's samples at a per-vehicle time offset. No thread of its own: the
 * simulator's feeder threads call {@link #step}; Paho's loops run on the shared executor.
 */
final class Vehicle {
    final String id;
    final int index;
    final PahoMqttLink paho;
    final RecordingLink link;
    final SqliteTelemetryStore store;
    final GroupCommitter committer;
    final Uploader uploader;
    final BusCollector bus;
    private final FleetSim.Replay replay;
    private final long offsetUs;
    private int cursor;
    private long loop;
    private long nextCommitMs, nextPollMs;
    private volatile boolean pollNow;
    final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    /** Alert samples committed by every vehicle (each must reach the cloud). */
    static final java.util.concurrent.atomic.LongAdder ALERT_SAMPLES_COMMITTED = new java.util.concurrent.atomic.LongAdder();
    /** This vehicle's committed alert samples, checked against what the cloud received from it. */
    final java.util.concurrent.atomic.LongAdder alertSamplesCommitted = new java.util.concurrent.atomic.LongAdder();
    /** When each alert batch was first handed to Paho (vehicle/sequence → nanoTime), for the uplink part of the latency. */
    static final Map<String, Long> ALERT_PUBLISHED = new ConcurrentHashMap<>();

    Vehicle(int index, String idPrefix, Path dir, String brokerUri, SharedPahoExecutor shared, DbcDatabase dbc, CollectionPolicy policy,
            FleetSim.Replay replay, long offsetUs, Executor alertPoller, MqttSettings base) throws Exception {
        this.index = index;
        this.id = String.format("%s%05d", idPrefix, index);
        this.replay = replay;
        this.offsetUs = offsetUs;
        MqttSettings settings = new MqttSettings(brokerUri, id, base.sessionExpiry(), base.keepAlive(), base.connectTimeout(),
                base.reconnectMin(), base.reconnectMax(), base.caFile(), base.certFile(), base.keyFile(), base.username(), base.password());
        this.paho = new PahoMqttLink(settings, shared);
        this.link = new RecordingLink(paho, acknowledged, id);
        // synchronous=OFF: thousands of buffers on one disk; the durability cost is measured by IngestRate
        this.store = SqliteTelemetryStore.open(dir.resolve(id + ".db"), 0, false);
        this.uploader = new Uploader(store, link, UploaderConfig.defaults(id), Clock.systemUTC(), new SplittableRandom(index));
        this.committer = new GroupCommitter(store, (BatchRecord b) -> {
            ALERT_SAMPLES_COMMITTED.add(b.sampleCount());
            alertSamplesCommitted.add(b.sampleCount());
            uploader.alertCommitted(b);
            pollNow = true;
            alertPoller.execute(this::pollIfAsked);
        });
        this.bus = new Collector(committer, policy, Clock.systemUTC()).forBus("can0", dbc);
        long now = System.currentTimeMillis();
        this.nextCommitMs = now + (index % 1000);
        this.nextPollMs = now + (index % 500);
    }

    void start() {
        paho.subscribe("vgate/" + id + "/commands", 1, in -> {
            // echo the command back: the MQTT leg of a command round trip (signature checks are benchmarked separately)
            paho.publish("vgate/" + id + "/command-results", in.payload(), MqttLink.PublishOptions.qos1());
        });
        paho.start();
    }

    private void pollIfAsked() {
        if (!pollNow) return;
        pollNow = false;
        uploader.poll();
    }

    /** Feeds every sample due by {@code nowUs} (wall clock), commits each 1 s, polls the uploader each 2 s (and at once after an alert). */
    void step(long startUs, long nowUs, FleetSim.Stats stats) throws Exception {
        FleetSim.Replay r = replay;
        long pos = nowUs - startUs + offsetUs; // position in the looped recording
        int fed = 0;
        while (true) {
            long recT = r.t[cursor] - r.t0;
            long at = loop * r.lengthUs + recT;
            if (at > pos) break;
            long tUs = startUs + at - offsetUs;
            if (r.signals[cursor] == r.alertSignal) stats.alertFed(index, tUs);
            bus.sample(r.signals[cursor], r.raw[cursor], r.values[cursor], tUs);
            fed++;
            if (++cursor == r.t.length) {
                cursor = 0;
                loop++;
            }
        }
        stats.fed(fed);
        long nowMs = nowUs / 1000;
        if (nowMs >= nextCommitMs) {
            committer.commit();
            nextCommitMs += 1000;
            if (nextCommitMs < nowMs) nextCommitMs = nowMs + 1000;
        }
        if (nowMs >= nextPollMs) {
            uploader.poll();
            nextPollMs = nowMs + 2000;
        }
    }

    void close() {
        try {
            committer.commit();
        } catch (Exception e) {
            // closing at the end of a run: the open window does not matter
        }
        paho.close();
        try {
            store.close();
        } catch (Exception e) {
            // ignore
        }
    }

    /** Delegates to Paho, noting the sequence of every batch the broker acknowledged (PUBACK < 0x80). */
    static final class RecordingLink implements MqttLink {
        private final MqttLink delegate;
        private final Set<Long> acknowledged;
        private final String vehicle;

        RecordingLink(MqttLink delegate, Set<Long> acknowledged, String vehicle) {
            this.delegate = delegate;
            this.acknowledged = acknowledged;
            this.vehicle = vehicle;
        }

        @Override public CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options) {
            String seq = options.userProperties() == null ? null : options.userProperties().get("sequence");
            if (seq != null && topic.endsWith("/alerts")) ALERT_PUBLISHED.putIfAbsent(vehicle + "/" + seq, System.nanoTime());
            return delegate.publish(topic, payload, options).whenComplete((r, e) -> {
                if (e == null && r.isSuccess() && seq != null) acknowledged.add(Long.parseLong(seq));
            });
        }

        @Override public CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler) { return delegate.subscribe(topicFilter, qos, handler); }

        @Override public boolean isConnected() { return delegate.isConnected(); }

        @Override public void addConnectionListener(ConnectionListener listener) { delegate.addConnectionListener(listener); }

        @Override public void close() { delegate.close(); }
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static Duration ms(long ms) { return Duration.ofMillis(ms); }
}
