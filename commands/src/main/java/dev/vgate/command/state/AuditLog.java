package dev.vgate.command.state;

import static dev.vgate.input.Untrusted.escape;
import dev.vgate.command.verify.Verdict;
import org.tinylog.Logger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;

/**
 * Records every rejection (audit table, queued for upload) and logs it. What the sender claimed (command id,
 * key id, type, and the detail that quotes them) needs no signature to reach here, so it is escaped
 * ({@link dev.vgate.input.Untrusted}) before it goes into the log or the table: a newline or ESC in a key id
 * cannot forge a log line or drive the terminal of whoever reads it.
 */
public final class AuditLog {
    private final CommandStateDb db;
    private final Clock clock;

    public AuditLog(CommandStateDb db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Returns the audit row id, or -1 if the state database could not take it (logged; the rejection stands). */
    public long record(Verdict.Rejected r, byte[] envelope) {
        String id = escape(r.commandId()), key = escape(r.keyId()), type = escape(r.type()), detail = escape(r.detail(), 400);
        Logger.warn("command rejected {}: {} (command_id '{}', key '{}', type '{}')", r.reasonCode(), detail, id, key, type);
        try {
            return db.audit(clock.millis(), id, key, type, r.reasonCode(), detail, sha256(envelope));
        } catch (CommandStateException e) {
            Logger.error("audit record lost for rejected command '{}' ({}): {}", id, r.reasonCode(), e.getMessage());
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
