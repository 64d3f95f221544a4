package dev.vgate.buffer.upload;

import dev.vgate.buffer.DaemonThread;
import dev.vgate.buffer.Priority;
import dev.vgate.buffer.collect.AlertListener;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoreException;
import dev.vgate.buffer.wire.BatchEncoder;
import dev.vgate.buffer.wire.WireException;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.tinylog.Logger;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.random.RandomGenerator;

/**
 * Publishes the buffer: alerts at once on their own topic; normal then bulk data in one batch per
 * {@code batchIntervalMs} (everything buffered since the last one), or back to back (at the drain rate) while a
 * batch cap leaves a backlog. A batch's chunks are
 * deleted only when its PUBACK carries a success reason code; a failed or unanswered publish is retried with
 * the same sequence after an exponential backoff with jitter. All work happens in {@link #poll()}, on one
 * thread ({@link #start}) or driven by a test or tool.
 */
public final class Uploader implements AlertListener, AutoCloseable {
    private static final String CONTENT_TYPE = "application/x-protobuf; proto=vgate.telemetry.TelemetryBatch";

    private final SqliteTelemetryStore store;
    private final MqttLink link;
    private final UploaderConfig config;
    private final Clock clock;
    private final BatchEncoder encoder;
    private final Backoff backoff;
    private final TokenBucket drain;
    private final Queue<BatchRecord> alerts = new ConcurrentLinkedQueue<>();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final TreeSet<Long> toResend = new TreeSet<>();
    private final Map<Long, Priority> inflight = new HashMap<>();
    private final long[] lastAssignMs = new long[4];
    private final boolean[] backlog = new boolean[4];
    private long backoffUntilMs = Long.MIN_VALUE;
    private long acknowledgedBatches;
    private long publishedBytes;
    private long publishedSamples;
    private final DaemonThread thread = new DaemonThread("vgate-telemetry-upload");

    private record Completion(long seq, Priority priority, int reasonCode, Throwable error) {}

    public Uploader(SqliteTelemetryStore store, MqttLink link, UploaderConfig config, Clock clock, RandomGenerator random) throws StoreException {
        this.store = store;
        this.link = link;
        this.config = config;
        this.clock = clock;
        this.encoder = new BatchEncoder(config.vehicleId(), config.compression());
        this.backoff = new Backoff(config.initialBackoffMs(), config.maxBackoffMs(), random);
        this.drain = new TokenBucket(config.drainBytesPerSecond());
        // batches assigned before a restart go again, with their sequence, before anything new
        toResend.addAll(store.unacknowledgedBatches());
        long now = clock.millis();
        for (int i = 0; i < lastAssignMs.length; i++) lastAssignMs[i] = now;
        if (!toResend.isEmpty()) Logger.info("telemetry: {} unacknowledged batches from before the restart will be re-sent", toResend.size());
    }

    public UploaderConfig config() { return config; }

    @Override public void alertCommitted(BatchRecord batch) {
        alerts.add(batch);
        wake();
    }

    /** One round: handle PUBACKs, then publish alerts, re-sends and new batches as far as allowed. */
    public synchronized void poll() {
        long now = clock.millis();
        handleCompletions(now);
        if (!link.isConnected() || now < backoffUntilMs) return;
        try {
            BatchRecord alert;
            while ((alert = alerts.poll()) != null) {
                if (!inflight.containsKey(alert.sequence())) publish(alert);
            }
            while (!toResend.isEmpty() && now >= backoffUntilMs) {
                Long seq = toResend.first();
                BatchRecord b = store.batch(seq);
                if (b == null) {
                    toResend.remove(seq);
                    continue;
                }
                if (b.priority() != Priority.ALERT && (batchesInFlight() >= config.maxInflight() || !drain.mayPublish(now))) break;
                toResend.remove(seq);
                publish(b);
            }
            if (!toResend.isEmpty()) return;
            for (Priority p : new Priority[] {Priority.NORMAL, Priority.BULK}) {
                while (batchesInFlight() < config.maxInflight()
                        && (backlog[p.code()] || now - lastAssignMs[p.code()] >= config.batchIntervalMs())
                        && drain.mayPublish(now)) {
                    BatchRecord b = store.assignBatch(p, config.maxBatchSamples(), config.maxBatchStoredBytes(), clock.millis());
                    lastAssignMs[p.code()] = now;
                    if (b == null) {
                        backlog[p.code()] = false;
                        break;
                    }
                    // a cap left data behind: keep going (at the drain rate) instead of waiting an interval
                    backlog[p.code()] = store.lastAssignmentCut();
                    publish(b);
                }
            }
        } catch (StoreException | WireException e) {
            Logger.error("telemetry upload round failed: {}", e.getMessage());
            backoffUntilMs = now + backoff.nextDelayMs();
        }
    }

    private void publish(BatchRecord b) throws WireException {
        TelemetryBatch batch = encoder.encode(b);
        byte[] bytes = batch.toByteArray();
        boolean isAlert = b.priority() == Priority.ALERT;
        long expiry = b.priority() == Priority.BULK ? config.bulkExpirySeconds() : 0;
        Map<String, String> props = Map.of(
                "schema", Integer.toString(BatchEncoder.SCHEMA_VERSION),
                "encoding", "vgate-chunks-v1",
                "compression", encoder.compression().name().toLowerCase(java.util.Locale.ROOT),
                "sequence", Long.toString(b.sequence()),
                "priority", b.priority().name().toLowerCase(java.util.Locale.ROOT));
        MqttLink.PublishOptions opts = new MqttLink.PublishOptions(1, false, expiry, props, null, null, CONTENT_TYPE);
        inflight.put(b.sequence(), b.priority());
        if (!isAlert) drain.spend(bytes.length);
        publishedBytes += bytes.length;
        if (!isAlert) publishedSamples += b.sampleCount();
        long seq = b.sequence();
        Priority pr = b.priority();
        link.publish(isAlert ? config.alertTopic() : config.telemetryTopic(), bytes, opts).whenComplete((r, err) -> {
            completions.add(new Completion(seq, pr, r == null ? -1 : r.reasonCode(), err));
            wake();
        });
    }

    private void handleCompletions(long now) {
        Completion c;
        while ((c = completions.poll()) != null) {
            inflight.remove(c.seq());
            if (c.error() == null && c.reasonCode() >= 0 && c.reasonCode() < 0x80) {
                try {
                    store.acknowledge(c.seq());
                    acknowledgedBatches++;
                    backoff.reset();
                } catch (StoreException e) {
                    // the batch stays assigned: it is re-sent and de-duplicated by sequence on the cloud side
                    Logger.error("telemetry batch {} acknowledged but not deleted: {}", c.seq(), e.getMessage());
                    toResend.add(c.seq());
                }
            } else {
                long delay = backoff.nextDelayMs();
                backoffUntilMs = now + delay;
                toResend.add(c.seq());
                String why = c.error() != null ? String.valueOf(c.error().getMessage()) : "PUBACK reason code 0x" + Integer.toHexString(c.reasonCode());
                Logger.warn("telemetry batch {} not accepted ({}); retry {} in {} ms", c.seq(), why, backoff.failures(), delay);
            }
        }
    }

    /** Normal and bulk batches awaiting their PUBACK: alerts do not count, so a burst of alerts cannot stall the stream. */
    private int batchesInFlight() {
        int n = 0;
        for (Priority p : inflight.values()) if (p != Priority.ALERT) n++;
        return n;
    }

    /** Batches whose PUBACK was a success and whose chunks are deleted. */
    public synchronized long acknowledgedBatches() { return acknowledgedBatches; }

    public synchronized long publishedBytes() { return publishedBytes; }

    /** Samples in the telemetry (not alert) batches published so far, re-sends included, like {@link #publishedBytes}. */
    public synchronized long publishedSamples() { return publishedSamples; }

    public synchronized int inflightCount() { return inflight.size(); }

    /** True when nothing is queued, in flight or waiting for a re-send (the store may still hold unassigned data). */
    public synchronized boolean idle() { return inflight.isEmpty() && toResend.isEmpty() && alerts.isEmpty() && completions.isEmpty(); }

    /** Runs {@link #poll()} on a daemon thread every {@code pollMs} and whenever a PUBACK or alert arrives. */
    public void start(long pollMs) {
        thread.start(() -> {
            while (thread.running()) {
                poll();
                synchronized (completions) {
                    try {
                        if (completions.isEmpty() && alerts.isEmpty()) completions.wait(pollMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    private void wake() {
        synchronized (completions) {
            completions.notifyAll();
        }
    }

    @Override public void close() {
        thread.stop(5000);
    }
}
