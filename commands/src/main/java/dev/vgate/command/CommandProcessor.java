package dev.vgate.command;

import static dev.vgate.input.Untrusted.escape;
import dev.vgate.command.exec.CommandFailedException;
import dev.vgate.command.exec.HandlerRegistry;
import dev.vgate.command.state.AuditLog;
import dev.vgate.command.verify.CommandVerifier;
import dev.vgate.command.verify.Verdict;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.CommandResponse.Stage;
import dev.vgate.protocol.command.CommandResponse.Status;
import org.tinylog.Logger;

import java.time.Clock;
import java.util.Map;

/**
 * Verify, then execute or audit: the one path every received command takes, independent of MQTT.
 * A handler runs only for an {@link Verdict.Accepted} verdict, whose id is already recorded, so a
 * command is executed at most once even if the agent dies mid-way.
 */
public final class CommandProcessor {
    private final CommandVerifier verifier;
    private final HandlerRegistry handlers;
    private final AuditLog audit;
    private final Clock clock;

    public CommandProcessor(CommandVerifier verifier, HandlerRegistry handlers, AuditLog audit, Clock clock) {
        this.verifier = verifier;
        this.handlers = handlers;
        this.audit = audit;
        this.clock = clock;
    }

    /** Returns the RESULT response for this envelope. Never throws. */
    public CommandResponse process(byte[] envelope) {
        Verdict verdict = verifier.verify(envelope);
        if (verdict instanceof Verdict.Rejected) {
            Verdict.Rejected r = (Verdict.Rejected) verdict;
            audit.record(r, envelope);
            return result(r.commandId(), Status.REJECTED, r.reasonCode(), r.detail(), Map.of());
        }
        Verdict.Accepted a = (Verdict.Accepted) verdict;
        String id = a.command().getCommandId();
        String logId = escape(id), logType = escape(a.command().getType());
        try {
            Map<String, String> values = handlers.execute(a.command());
            Logger.info("command {} '{}' from key '{}' completed", logId, logType, escape(a.keyId()));
            return result(id, Status.COMPLETED, "", "", values);
        } catch (CommandFailedException e) {
            Logger.warn("command {} '{}' failed {}: {}", logId, logType, escape(e.code()), escape(e.getMessage()));
            return result(id, Status.FAILED, e.code(), e.getMessage(), Map.of());
        } catch (RuntimeException e) {
            Logger.error(e, "command {} '{}': handler error", logId, logType);
            return result(id, Status.FAILED, "HANDLER_ERROR", e.toString(), Map.of());
        }
    }

    /** The ACK sent on receipt; the command id is read from the envelope without trusting it. */
    public CommandResponse ack(String claimedCommandId) {
        return CommandResponse.newBuilder().setCommandId(claimedCommandId).setStage(Stage.ACK).setStatus(Status.RECEIVED)
                .setAtMs(clock.millis()).build();
    }

    private CommandResponse result(String id, Status status, String code, String detail, Map<String, String> values) {
        return CommandResponse.newBuilder().setCommandId(id).setStage(Stage.RESULT).setStatus(status).setReasonCode(code)
                .setDetail(detail).putAllValues(values).setAtMs(clock.millis()).build();
    }
}
