package dev.vgate.command.mqtt;

import com.google.protobuf.ByteString;
import dev.vgate.command.state.AuditEntry;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.protocol.command.AuditRecord;
import org.tinylog.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads audit records (QoS 1, one message each) and marks a record uploaded only when the broker
 * acknowledged it; anything not acknowledged is sent again on the next flush.
 */
public final class AuditUploader {
    private static final int BATCH = 100;

    private final CommandStateDb db;
    private final MqttLink link;
    private final String topic;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

    /** Uploads to {@code topic} (normally {@link CommandTopics#auditUnder}). */
    public AuditUploader(CommandStateDb db, MqttLink link, String topic) {
        this.db = db;
        this.link = link;
        this.topic = topic;
    }

    public void flush() {
        if (!link.isConnected()) return;
        List<AuditEntry> pending;
        try {
            pending = db.pendingAudit(BATCH);
        } catch (CommandStateException e) {
            Logger.error("audit upload: {}", e.getMessage());
            return;
        }
        for (AuditEntry a : pending) {
            if (!inFlight.add(a.id())) continue;
            AuditRecord rec = AuditRecord.newBuilder().setId(a.id()).setAtMs(a.atMs()).setCommandId(a.commandId())
                    .setKeyId(a.keyId()).setType(a.type()).setReasonCode(a.reasonCode()).setDetail(a.detail())
                    .setEnvelopeSha256(ByteString.copyFrom(a.envelopeSha256())).build();
            link.publish(topic, rec.toByteArray(), MqttLink.PublishOptions.qos1()).whenComplete((res, err) -> {
                try {
                    if (err == null && res.isSuccess()) db.markAuditUploaded(a.id());
                    else Logger.warn("audit record {} not uploaded: {}", a.id(), err != null ? err.getMessage() : "reason code " + res.reasonCode());
                } catch (CommandStateException e) {
                    Logger.error("audit record {} uploaded but not marked: {}", a.id(), e.getMessage());
                } finally {
                    inFlight.remove(a.id());
                }
            });
        }
    }

    /**
     * Waits up to {@code timeoutMs} for the broker's acknowledgements of records already published, so a stop
     * does not close the state database under them (they would be sent again after the restart).
     */
    public boolean awaitInFlight(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!inFlight.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                Logger.info("{} audit record(s) not acknowledged before the stop; they are sent again after the restart", inFlight.size());
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
