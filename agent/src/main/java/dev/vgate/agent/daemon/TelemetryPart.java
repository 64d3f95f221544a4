package dev.vgate.agent.daemon;

import dev.vgate.agent.config.TelemetryConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoreStats;
import dev.vgate.buffer.upload.Uploader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.mqtt.MqttLink;
import org.tinylog.Logger;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The telemetry part of {@code vgate run}: the SQLite store-and-forward buffer, its group committer, the
 * collector (the configured policy) and the uploader on the daemon's MQTT link. It may come up after the buses
 * (its start is retried when the buffer cannot be opened): then it wires itself into the running bus pipelines;
 * at its stop it unwires them ({@link TelemetryTap#OFF}), commits the open window and uploads what it can.
 */
final class TelemetryPart implements Service {
    /**
     * The open telemetry window's bound: past it the ingest thread commits the window itself (backpressure).
     * 16 bytes a sample (more while its columns grow), so 250,000 samples is ~4-8 MiB of heap, ~3 s at
     * 10 k frames/s; buffer's default (1,000,000) let a window that SQLite fell behind on fill the heap
     * (docs/benchmarks.md, "Footprint").
     */
    static final int WINDOW_SAMPLES_BOUND = 250_000;

    /** At a stop, how long buffered telemetry may still be uploaded (the supervisor allows 5 s per part). */
    private static final Duration FINAL_UPLOAD_BOUND = Duration.ofSeconds(3);
    private final VgateConfig config;
    private final Clock clock;
    private final MqttLink mqtt;
    /** The active policy: the configured (or last live) one, replaced by a live collection-policy update. */
    private volatile CollectionPolicy policy;
    private final RuleAlertRecorder alertRecorder;
    private final Supplier<Collection<BusPipeline>> pipelines;
    private SqliteTelemetryStore store;
    private volatile GroupCommitter committer; // read by the diag part's thread
    private Uploader uploader;
    private volatile Collector collector;
    private volatile boolean up;

    /** @param pipelines the bus pipelines running now (the part rewires them when it comes up or goes) */
    TelemetryPart(VgateConfig config, Clock clock, MqttLink mqtt, CollectionPolicy policy, RuleAlertRecorder alertRecorder,
                  Supplier<Collection<BusPipeline>> pipelines) {
        this.config = config;
        this.clock = clock;
        this.mqtt = mqtt;
        this.policy = policy;
        this.alertRecorder = alertRecorder;
        this.pipelines = pipelines;
    }

    @Override public String name() { return "telemetry"; }

    /** The group committer while the part is up (the DTC events of the diag part are stored through it), else null. */
    GroupCommitter committer() { return committer; }

    @Override public void start() throws Exception {
        TelemetryConfig t = config.telemetry();
        Files.createDirectories(config.stateDir());
        store = SqliteTelemetryStore.open(config.telemetryDatabase(), t.diskQuota());
        UploaderConfig uc = UploaderConfig.defaults(config.vehicleId())
                .withTopicPrefix(config.mqtt().topicPrefix())
                .withMaxBatchSamples(t.uploadBatchSize())
                .withMaxBatchStoredBytes(t.uploadBatchBytes())
                .withBatchInterval(t.uploadInterval().toMillis())
                .withDrainRate(t.uploadDrainRate());
        uploader = new Uploader(store, mqtt, uc, clock, new SecureRandom());
        committer = new GroupCommitter(store, uploader, WINDOW_SAMPLES_BOUND);
        collector = new Collector(committer, policy, clock);
        committer.start(t.groupCommit().toMillis());
        uploader.start(100);
        alertRecorder.attach(committer);
        up = true;
        for (BusPipeline p : pipelines.get()) p.attachTelemetry(taps(p.bus())); // buses that came up before telemetry
    }

    /** Each DBC's collector on {@code bus} while telemetry is up, {@link TelemetryTap#OFF} otherwise. */
    Function<DbcDatabase, TelemetryTap> taps(String bus) {
        return up ? db -> TelemetryTap.of(collector.forBus(bus, db)) : db -> TelemetryTap.OFF;
    }

    /** The running collector (null while the part is down): live policy updates and rule captures go to it. */
    Collector collector() { return collector; }

    /** What a rule's {@code collect} action triggers: the event capture (pre-trigger ring, full rate until 'post') while up. */
    dev.vgate.rules.CollectionControl captures() {
        return (rule, policyName, at, pre, post) -> {
            Collector c = collector;
            if (c != null) c.trigger(rule, policyName, at, pre, post);
            else Logger.warn("rule {}: no capture ({}), the telemetry buffer is not up", rule, policyName);
        };
    }

    /** The policy in force (the collector's while up; kept across a restart of the part). */
    CollectionPolicy policy() {
        Collector c = collector;
        return c != null ? c.policy() : policy;
    }

    @Override public void stop() {
        up = false;
        Collector c = collector;
        if (c != null) policy = c.policy(); // a live update survives a restart of this part
        collector = null;
        for (BusPipeline p : pipelines.get()) p.attachTelemetry(taps(p.bus()));
        alertRecorder.close(); // stores the alerts still queued
        if (uploader != null) uploader.close(); // stops its thread: the last rounds run here
        if (committer != null) committer.close(); // commits the open window
        if (uploader != null) drainUploads(FINAL_UPLOAD_BOUND);
        if (store != null) store.close();
    }

    /**
     * While the MQTT session is still up, publishes what the buffer holds until the broker has
     * acknowledged all of it or {@code bound} has passed; whatever is left stays on disk for the next start.
     */
    private void drainUploads(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (mqtt.isConnected() && System.nanoTime() < deadline) { // the link closes after this part
                uploader.poll();
                if (uploader.idle() && store.stats().totalSamples() == 0) {
                    Logger.info("telemetry buffer uploaded completely before the stop");
                    return;
                }
                Thread.sleep(20);
            }
            Logger.info("{} telemetry sample(s) stay buffered on disk until the next start", store.stats().totalSamples());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.vgate.buffer.store.StoreException e) {
            Logger.warn("final upload round stopped: {}", e.getMessage());
        }
    }

    @Override public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (committer != null) {
            m.put("accepted_samples", committer.acceptedSamples());
            m.put("committed_samples", committer.committedSamples());
        }
        if (uploader != null) {
            m.put("acknowledged_batches", uploader.acknowledgedBatches());
            m.put("published_bytes", uploader.publishedBytes());
            m.put("published_samples", uploader.publishedSamples());
        }
        if (store != null) {
            try {
                StoreStats s = store.stats();
                m.put("buffered_samples", s.totalSamples());
                m.put("buffered_alert_samples", s.alertSamples());
                m.put("disk_bytes", s.usedBytes());
            } catch (Exception e) {
                m.put("store_error", e.getMessage());
            }
        }
        m.put("rule_alerts_recorded", alertRecorder.recorded());
        m.put("rule_alerts_pending", alertRecorder.pending());
        return m;
    }
}
