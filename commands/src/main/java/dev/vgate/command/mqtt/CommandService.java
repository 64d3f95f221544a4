package dev.vgate.command.mqtt;

import static dev.vgate.input.Untrusted.escape;
import dev.vgate.command.CommandProcessor;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.SignedCommand;
import org.tinylog.Logger;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command endpoint on MQTT: subscribes to {@code PREFIX/cmd} (default {@code vgate/{vehicle}/cmd}), answers every message with an
 * ACK at once (on the receive thread) and, after verification and execution on the single command
 * thread, a RESULT — both on the message's response topic with its correlation data. A RESULT the link cannot
 * deliver now is kept and published after the reconnect ({@link ReplyOutbox}).
 */
public final class CommandService implements AutoCloseable {
    /** Responses die in the broker after this long; a late answer is worth nothing to the platform. */
    static final long RESPONSE_EXPIRY_SECONDS = 120;
    private static final long PRUNE_INTERVAL_MS = 60_000;

    private final String topic;
    private final MqttLink link;
    private final CommandProcessor processor;
    private final CommandStateDb state;
    private final AuditUploader audit;
    private final ReplyOutbox replies;
    private final Clock clock;
    private final int maxEnvelopeBytes;
    private final ThreadPoolExecutor worker;
    private long lastPruneMs;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastRejection = "";
    private final MqttLink.MessageHandler handler = this::onMessage;
    private volatile java.util.concurrent.CompletableFuture<Void> subscribed = new java.util.concurrent.CompletableFuture<>();

    /** Listens under {@code topicPrefix}: the daemon's {@code mqtt.topic_prefix}, {@link CommandTopics#defaultPrefix} by default. */
    public CommandService(String topicPrefix, MqttLink link, CommandProcessor processor, CommandStateDb state,
                          Clock clock, int maxEnvelopeBytes) {
        CommandTopics.checkPrefix(topicPrefix);
        this.topic = CommandTopics.commandsUnder(topicPrefix);
        this.link = link;
        this.processor = processor;
        this.state = state;
        this.clock = clock;
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.audit = new AuditUploader(state, link, CommandTopics.auditUnder(topicPrefix));
        this.replies = new ReplyOutbox(state, link, RESPONSE_EXPIRY_SECONDS);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "vgate-commands");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers the handler and subscribes. Commands the broker queued while vgate was away are not lost if
     * the session delivers them before this: the link holds them, unacknowledged, until the handler is there.
     */
    public void start() {
        link.addConnectionListener((connected, reason) -> {
            if (connected && !worker.isShutdown()) worker.execute(audit::flush);
        });
        replies.start(); // replies a stop or an outage left unsent go out first
        subscribed = link.subscribe(topic, 1, handler);
        worker.execute(audit::flush);
        Logger.info("listening for commands on {}", topic);
    }

    private void onMessage(MqttLink.Incoming msg) {
        received.incrementAndGet();
        respond(msg, processor.ack(claimedId(msg.payload())));
        try {
            worker.execute(() -> handle(msg));
        } catch (RejectedExecutionException e) {
            // never executed, so it may be refused without verification; it is not recorded as seen
            Logger.warn("command queue full; refusing a command on {}", msg.topic());
            lastRejection = "AGENT_BUSY";
            rejected.incrementAndGet();
            respond(msg, CommandResponse.newBuilder().setCommandId(claimedId(msg.payload())).setStage(CommandResponse.Stage.RESULT)
                    .setStatus(CommandResponse.Status.REJECTED).setReasonCode("AGENT_BUSY")
                    .setDetail("command queue full, try again").setAtMs(clock.millis()).build());
        }
    }

    private void handle(MqttLink.Incoming msg) {
        pruneIfDue();
        CommandResponse result = processor.process(msg.payload());
        count(result); // before answering: whoever sees the answer sees the counters
        respond(msg, result);
        if (result.getStatus() == CommandResponse.Status.REJECTED) audit.flush();
    }

    private void count(CommandResponse result) {
        switch (result.getStatus()) {
            case COMPLETED -> completed.incrementAndGet();
            case FAILED -> failed.incrementAndGet();
            case REJECTED -> {
                lastRejection = result.getReasonCode();
                rejected.incrementAndGet();
            }
            default -> { }
        }
    }

    public String topic() { return topic; }

    /** Completes when the broker has granted the command subscription (its SUBACK). */
    public java.util.concurrent.CompletableFuture<Void> subscribed() { return subscribed; }

    /** Counters since start, for the daemon's status report. */
    public Map<String, Object> status() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("received", received.get());
        m.put("completed", completed.get());
        m.put("failed", failed.get());
        m.put("rejected", rejected.get());
        m.put("last_rejection", lastRejection);
        m.put("queued", worker.getQueue().size());
        replies.status(m);
        return m;
    }

    private void pruneIfDue() {
        long now = clock.millis();
        if (now - lastPruneMs < PRUNE_INTERVAL_MS) return;
        lastPruneMs = now;
        try {
            int n = state.pruneSeen(now);
            if (n > 0) Logger.debug("pruned {} expired command id(s)", n);
        } catch (CommandStateException e) {
            Logger.error("pruning seen command ids: {}", e.getMessage());
        }
    }

    /**
     * An ACK is published once (it only says "received"; the RESULT follows). A RESULT goes through the
     * {@link ReplyOutbox}: kept until the broker acknowledges it, across an outage and a restart.
     */
    private void respond(MqttLink.Incoming msg, CommandResponse response) {
        if (msg.responseTopic() == null || msg.responseTopic().isEmpty()) {
            Logger.warn("command '{}' has no response topic; {} {} not sent", escape(response.getCommandId()), response.getStage(), response.getStatus());
            return;
        }
        if (response.getStage() == CommandResponse.Stage.RESULT) {
            replies.send(response.getCommandId(), msg.responseTopic(), msg.correlationData(), response.toByteArray());
            return;
        }
        var opts = new MqttLink.PublishOptions(1, false, RESPONSE_EXPIRY_SECONDS, Map.of(), null, msg.correlationData(),
                "application/x-protobuf");
        link.publish(msg.responseTopic(), response.toByteArray(), opts).whenComplete((r, err) -> {
            if (err != null) Logger.warn("response {} for '{}' not delivered: {}", response.getStage(), escape(response.getCommandId()), err.getMessage());
        });
    }

    /** The command id the sender claims, for the ACK only; "" if the envelope does not parse. */
    private String claimedId(byte[] payload) {
        if (payload.length > maxEnvelopeBytes) return "";
        try {
            String id = Command.parseFrom(SignedCommand.parseFrom(payload).getPayload()).getCommandId();
            return id.length() <= 128 ? id : "";
        } catch (Exception e) {
            return "";
        }
    }

    @Override public void close() {
        link.removeHandler(handler); // later commands stay with the broker's session instead of meeting a closed queue
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) worker.shutdownNow();
            replies.close(2000); // unacknowledged replies stay queued in the state database for the next start
            audit.awaitInFlight(2000); // the state database closes after this
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
