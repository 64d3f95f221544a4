package dev.vgate.command.state;

import dev.vgate.command.verify.Verdict;
import org.tinylog.Logger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;

/** Records every rejection (audit table, queued for upload) and logs it. */
public final class AuditLog {
    private final CommandStateDb db;
    private final Clock clock;

    public AuditLog(CommandStateDb db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Returns the audit row id, or -1 if the state database could not take it (logged; the rejection stands). */
    public long record(Verdict.Rejected r, byte[] envelope) {
        Logger.warn("command rejected {}: {} (command_id '{}', key '{}', type '{}')", r.reasonCode(), r.detail(),
                r.commandId(), r.keyId(), r.type());
        try {
            return db.audit(clock.millis(), r.commandId(), r.keyId(), r.type(), r.reasonCode(), r.detail(), sha256(envelope));
        } catch (CommandStateException e) {
            Logger.error("audit record lost for rejected command '{}' ({}): {}", r.commandId(), r.reasonCode(), e.getMessage());
            return -1;
        }
    }

    public CommandStateDb db() { return db; }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
