package dev.vgate.agent.daemon;

import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.store.StoreException;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.RuleAlert;
import org.tinylog.Logger;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rule alerts go into the telemetry buffer as ALERT-priority samples of a per-rule stream ("rules" bus,
 * message "alert/SEVERITY", signal = rule name, raw 1 = fired, 0 = cleared). The buffer commits alerts
 * durably before anything else and the uploader publishes them on the alert topic at once, retrying
 * until the broker acknowledges: so an alert survives a dead broker and a reboot, and is never dropped.
 *
 * <p>The evidence goes with it: each value the rule's condition read, as an ALERT-priority sample of stream
 * ("rules", "evidence/RULE", signal name; IEEE float64) stamped with the time that value was received, stored
 * before the alert sample itself (so an alert in the buffer always has its evidence).
 *
 * <p>The receive thread only enqueues (unbounded: alerts are rare and must not be dropped); one worker
 * thread does the SQLite commit.
 */
public final class RuleAlertRecorder implements AlertSink, AutoCloseable {
    private volatile GroupCommitter committer;
    private final Clock clock;
    private final LinkedBlockingQueue<RuleAlert> queue = new LinkedBlockingQueue<>();
    private final Map<String, Integer> streams = new HashMap<>();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    /** @param committer the telemetry buffer, or null until it is up ({@link #attach}); alerts wait for it */
    public RuleAlertRecorder(GroupCommitter committer, Clock clock) {
        this.committer = committer;
        this.clock = clock;
        this.worker = new Thread(this::drain, "rule-alerts");
        worker.setDaemon(true);
        worker.start();
    }

    /** The telemetry buffer is (again) available: queued alerts go into it. */
    public void attach(GroupCommitter committer) {
        synchronized (streams) {
            streams.clear(); // stream ids belong to one store
        }
        this.committer = committer;
    }

    @Override public void publish(RuleAlert alert) {
        queue.add(alert);
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            RuleAlert a;
            try {
                a = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!running) break;
                continue;
            }
            if (a == null) continue;
            record(a);
        }
    }

    private void record(RuleAlert a) {
        while (true) {
            GroupCommitter committer = this.committer;
            try {
                if (committer == null) throw new IllegalStateException("the telemetry buffer is not up");
                int id;
                synchronized (streams) {
                    id = streams.computeIfAbsent(a.severity() + "/" + a.rule(), k -> {
                        try {
                            return committer.store().streamId(new StreamInfo("rules", "alert/" + a.severity().name().toLowerCase(),
                                    a.rule(), -1, 0, ValueEncoding.DELTA_ZIGZAG, 1, 0));
                        } catch (StoreException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    });
                }
                for (Map.Entry<String, Long> e : a.valueTimes().entrySet()) {
                    int ev = evidenceStream(committer, a.rule(), e.getKey());
                    committer.addAlert(ev, e.getValue() / 1000L, Double.doubleToRawLongBits(a.values().get(e.getKey())), clock.millis());
                }
                committer.addAlert(id, a.timestampNanos() / 1000L, a.event() == RuleAlert.Event.FIRED ? 1 : 0, clock.millis());
                recorded.incrementAndGet();
                Logger.warn("rule alert {} {} ({}): {}", a.rule(), a.event().name().toLowerCase(), a.severity(), a.message());
                return;
            } catch (StoreException | IllegalStateException e) {
                // never drop a safety alert: keep retrying (a full disk evicts bulk data to make room)
                failures.incrementAndGet();
                Logger.error("rule alert {} not yet stored ({}); retrying", a.rule(), e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    if (!running) return;
                }
            }
        }
    }

    private int evidenceStream(GroupCommitter committer, String rule, String signal) {
        synchronized (streams) {
            return streams.computeIfAbsent("evidence/" + rule + "/" + signal, k -> {
                try {
                    return committer.store().streamId(new StreamInfo("rules", "evidence/" + rule, signal, -1, 0, ValueEncoding.XOR_FLOAT64, 1, 0));
                } catch (StoreException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        }
    }

    public long recorded() { return recorded.get(); }

    public long pending() { return queue.size(); }

    public long failures() { return failures.get(); }

    /** Stores what is queued, then stops. */
    @Override public void close() {
        running = false;
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
