package dev.vgate.command.mqtt;

import static dev.vgate.input.Untrusted.escape;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.mqtt.MqttLink;
import org.tinylog.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where command RESULTs go so that the cloud learns every outcome: each reply is first stored in the command
 * state database ({@code reply_outbox}), then published (QoS 1) and removed only when the broker acknowledged it.
 * A reply that cannot be published (the link is down, or goes down before the PUBACK) stays and is published
 * again after the reconnect, also after a restart of vgate, oldest first. Delivery is at least once; the
 * cloud recognises a repeat by its command id (docs/commands.md#replies).
 *
 * <p>At most {@link #MAX_QUEUED} replies wait; beyond it the oldest is dropped, counted and logged. All
 * publishing happens on the outbox's own thread, in the order the replies were stored.
 */
public final class ReplyOutbox implements AutoCloseable {
    /** Most replies kept while the link is down (one per command; the command queue itself holds 256). */
    public static final int MAX_QUEUED = 1_000;
    private static final int BATCH = 100;

    private final CommandStateDb db;
    private final MqttLink link;
    private final long expirySeconds;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vgate-command-replies");
        t.setDaemon(true);
        return t;
    });
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** Replies expire in the broker {@code expirySeconds} after it received them (0 = never). */
    public ReplyOutbox(CommandStateDb db, MqttLink link, long expirySeconds) {
        this.db = db;
        this.link = link;
        this.expirySeconds = expirySeconds;
    }

    /** Publishes what is queued now and after every reconnect (replies left from the last run included). */
    public void start() {
        link.addConnectionListener((connected, reason) -> {
            if (connected) flushSoon();
        });
        flushSoon();
    }

    /**
     * Stores the reply (durably: it survives a restart) and starts its publish. If it cannot be stored it is
     * published once without a retry, and that is logged.
     */
    public void send(String commandId, String topic, byte[] correlation, byte[] payload) {
        try {
            List<String> lost = db.queueReply(commandId, topic, correlation, payload, MAX_QUEUED);
            for (String id : lost) {
                dropped.incrementAndGet();
                Logger.error("reply outbox full ({} replies): the oldest reply, to command '{}', is dropped unsent", MAX_QUEUED, escape(id));
            }
        } catch (CommandStateException e) {
            Logger.error("{}; the reply to '{}' is published once, without a retry", e.getMessage(), escape(commandId));
            link.publish(topic, payload, options(correlation)).whenComplete((r, err) -> {
                if (err != null) Logger.error("reply to command '{}' lost: {}", escape(commandId), err.getMessage());
            });
            return;
        }
        flushSoon();
    }

    private MqttLink.PublishOptions options(byte[] correlation) {
        return new MqttLink.PublishOptions(1, false, expirySeconds, Map.of(), null, correlation, "application/x-protobuf");
    }

    private void flushSoon() {
        try {
            sender.execute(this::flush);
        } catch (RejectedExecutionException closing) {
            // stopping: what is queued is sent after the next start
        }
    }

    /** Outbox thread only: publishes the queued replies not already on their way, oldest first. */
    private void flush() {
        if (!link.isConnected()) return;
        List<CommandStateDb.QueuedReply> queued;
        try {
            queued = db.queuedReplies(BATCH + inFlight.size());
        } catch (CommandStateException e) {
            Logger.error("reply outbox: {}", e.getMessage());
            return;
        }
        for (CommandStateDb.QueuedReply q : queued) {
            if (!inFlight.add(q.id())) continue;
            try {
                link.publish(q.topic(), q.payload(), options(q.correlation())).whenComplete((r, err) -> done(q, r, err));
            } catch (RuntimeException e) {
                // the sender's response topic is not one that can be published to (a wildcard): it never will be
                refused.incrementAndGet();
                Logger.error("reply to command '{}' cannot be published on '{}': {}; dropped", escape(q.commandId()), escape(q.topic()), e.getMessage());
                remove(q);
                inFlight.remove(q.id());
            }
        }
    }

    private void done(CommandStateDb.QueuedReply q, MqttLink.PublishResult r, Throwable err) {
        try {
            if (err != null) {
                // not acknowledged (the link went down): kept, published again after the reconnect
                Logger.info("reply to command '{}' not acknowledged yet, kept for the reconnect: {}", escape(q.commandId()), err.getMessage());
                return;
            }
            if (r.isSuccess()) {
                published.incrementAndGet();
            } else {
                // the broker refuses the topic (its ACL): sending it again would be refused again
                refused.incrementAndGet();
                Logger.error("broker refused the reply to command '{}' on {} (reason code 0x{}); dropped",
                        escape(q.commandId()), escape(q.topic()), Integer.toHexString(r.reasonCode()));
            }
            db.removeReply(q.id());
        } catch (CommandStateException e) {
            Logger.error("reply to command '{}' acknowledged but not removed (sent again after a restart): {}", escape(q.commandId()), e.getMessage());
        } finally {
            inFlight.remove(q.id());
            if (err == null && queuedBeyondBatch()) flushSoon();
        }
    }

    private void remove(CommandStateDb.QueuedReply q) {
        try {
            db.removeReply(q.id());
        } catch (CommandStateException e) {
            Logger.error("reply outbox: {}", e.getMessage());
        }
    }

    private boolean queuedBeyondBatch() {
        try {
            return inFlight.isEmpty() && db.queuedReplyCount() > 0;
        } catch (CommandStateException e) {
            return false;
        }
    }

    /** Counters since start and the replies waiting now, for the daemon's status report. */
    public void status(Map<String, Object> into) {
        int waiting;
        try {
            waiting = db.queuedReplyCount();
        } catch (CommandStateException e) {
            waiting = -1;
        }
        into.put("replies_waiting", waiting);
        into.put("replies_published", published.get());
        into.put("replies_dropped", dropped.get());
        into.put("replies_refused", refused.get());
    }

    /** Replies waiting for a PUBACK or a link (tests, status). */
    public int waiting() throws CommandStateException { return db.queuedReplyCount(); }

    /**
     * Stops publishing and waits up to {@code timeoutMs} for acknowledgements of replies already out, so the state
     * database is not closed under them; anything unacknowledged stays queued for the next start.
     */
    public void close(long timeoutMs) throws InterruptedException {
        sender.shutdown();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        if (!sender.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) sender.shutdownNow();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    }

    @Override public void close() {
        try {
            close(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
