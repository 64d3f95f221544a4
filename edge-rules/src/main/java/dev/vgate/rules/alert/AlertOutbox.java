package dev.vgate.rules.alert;

import dev.vgate.mqtt.MqttLink;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.RuleAlert;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Where rule alerts go so that none is lost: each alert is published at once (QoS 1, the alert topic) and
 * stored in the {@link AlertJournal} until the broker acknowledges it. When the broker is down or refuses
 * it, the alert stays in the journal and is published again once connected (also after a restart of vgate:
 * the journal's pending alerts are sent first). Delivery is at least once; an alert's {@code t} and
 * {@code rule} identify duplicates.
 * <p>
 * {@link #publish} is called on the CAN receive thread: it only enqueues (never blocks, never drops). The
 * outbox's own thread does the network and the file work.
 */
public final class AlertOutbox implements AlertSink, AutoCloseable {
    private final AlertJournal journal;
    private final MqttLink link;
    private final String topic;
    private final long retryNanos;
    private final Consumer<String> echo;
    private final Queue<RuleAlert> incoming = new ConcurrentLinkedQueue<>();
    private final Queue<Item> acknowledged = new ConcurrentLinkedQueue<>();
    private final Queue<Item> failed = new ConcurrentLinkedQueue<>();
    private final List<Item> waiting = new ArrayList<>();   // outbox thread only: to publish when connected
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong memoryOnly = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean reconnected;

    /** One alert on its way: its journal sequence ({@code -1} when it could not be stored). */
    private static final class Item {
        final String json;
        long seq = -1;
        Item(String json) { this.json = json; }
    }

    /**
     * @param echo told each new alert's JSON as it is taken (printing, logging); {@code json -> {}} for none
     * @param retry how often alerts the broker refused are offered again while connected
     */
    public AlertOutbox(AlertJournal journal, MqttLink link, String topic, Duration retry, Consumer<String> echo) {
        this.journal = journal;
        this.link = link;
        this.topic = topic;
        this.retryNanos = retry.toNanos();
        this.echo = echo;
        for (AlertJournal.Entry e : journal.pending()) {
            Item i = new Item(e.json());
            i.seq = e.seq();
            waiting.add(i);
        }
        this.worker = new Thread(this::run, "rules-alert-outbox");
        worker.setDaemon(true);
        link.addConnectionListener((connected, reason) -> {
            if (connected) {
                reconnected = true;
                LockSupport.unpark(worker);
            }
        });
        worker.start();
    }

    @Override public void publish(RuleAlert alert) {
        incoming.add(alert);
        LockSupport.unpark(worker);
    }

    /** Alerts not yet acknowledged by the broker (in the journal, or only in memory when the journal failed). */
    public int pending() { return journal.pendingCount() + (int) memoryOnly.get(); }

    /** Alerts the broker has acknowledged since this outbox started. */
    public long published() { return published.get(); }

    private void run() {
        long nextRetry = 0;
        while (running) {
            for (RuleAlert a; (a = incoming.poll()) != null; ) take(a);
            for (Item i; (i = acknowledged.poll()) != null; ) acknowledge(i);
            for (Item i; (i = failed.poll()) != null; ) waiting.add(i);
            long now = System.nanoTime();
            if (reconnected) {
                reconnected = false;
                nextRetry = now;
            }
            if (!waiting.isEmpty() && link.isConnected() && now - nextRetry >= 0) {
                List<Item> again = new ArrayList<>(waiting);
                waiting.clear();
                for (Item i : again) send(i);
                nextRetry = now + retryNanos;
            }
            LockSupport.parkNanos(this, waiting.isEmpty() ? TimeUnit.SECONDS.toNanos(1) : Math.max(retryNanos / 4, 1_000_000));
        }
        for (RuleAlert a; (a = incoming.poll()) != null; ) store(new Item(a.toJson())); // closing: keep, send next run
        for (Item i; (i = acknowledged.poll()) != null; ) acknowledge(i);
    }

    /** A new alert: out to the broker first (that is the urgent part), then into the journal. */
    private void take(RuleAlert alert) {
        Item i = new Item(alert.toJson());
        echo.accept(i.json);
        send(i);
        store(i);
    }

    private void store(Item i) {
        try {
            i.seq = journal.append(i.json);
        } catch (AlertStoreException e) {
            memoryOnly.incrementAndGet();
            Logger.error("{}; the alert is kept in memory until the broker acknowledges it: {}", e.getMessage(), i.json);
        }
    }

    private void send(Item i) {
        link.publish(topic, i.json.getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()).whenComplete((r, e) -> {
            if (e == null && r.isSuccess()) {
                acknowledged.add(i);
            } else {
                if (e != null) Logger.warn("alert not published yet (kept, sent again when possible): {}", e.getMessage());
                else Logger.error("broker refused an alert on {} (reason code 0x{}); kept, offered again", topic, Integer.toHexString(r.reasonCode()));
                failed.add(i);
            }
            LockSupport.unpark(worker);
        });
    }

    private void acknowledge(Item i) {
        published.incrementAndGet();
        if (i.seq < 0) {
            memoryOnly.decrementAndGet();
            return;
        }
        try {
            journal.acknowledge(i.seq);
        } catch (AlertStoreException e) {
            Logger.warn("{} (the alert may be sent again after a restart)", e.getMessage());
        }
    }

    /** Stops the outbox thread; alerts not yet acknowledged stay in the journal for the next run. */
    @Override public void close() {
        running = false;
        LockSupport.unpark(worker);
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }
}
