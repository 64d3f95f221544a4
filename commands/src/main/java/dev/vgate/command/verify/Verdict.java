package dev.vgate.command.verify;

import dev.vgate.protocol.command.Command;

/** The verifier's answer: an accepted command (already recorded as consumed) or a rejection. */
public sealed interface Verdict {
    /** Every check passed; the command id and sequence are recorded, so this command is executed at most once. */
    record Accepted(Command command, String keyId) implements Verdict {}

    /**
     * A refusal. {@code commandId}, {@code keyId} and {@code type} are what the sender claimed (empty when the
     * envelope did not parse): for the audit trail and the response, never for decisions.
     */
    record Rejected(RejectReason reason, String detail, String commandId, String keyId, String type) implements Verdict {
        public String reasonCode() { return reason.name(); }
    }
}
