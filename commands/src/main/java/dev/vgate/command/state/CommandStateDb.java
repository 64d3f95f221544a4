package dev.vgate.command.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command subsystem's persistent state in one SQLite file: command ids seen within their validity
 * window (replay protection), the last accepted sequence per key, the audit table of rejections with
 * their upload mark, the outbox of command replies not yet acknowledged, and the active key set. Not thread-safe: one command thread owns it (the audit
 * uploader goes through the same lock).
 */
public final class CommandStateDb implements AutoCloseable {
    public static final String FILE_NAME = "commands.db";

    private final Connection conn;
    private final PreparedStatement seen;
    private final PreparedStatement lastSeq;
    private final PreparedStatement insertSeen;
    private final PreparedStatement upsertSeq;

    private CommandStateDb(Connection conn) throws SQLException {
        this.conn = conn;
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL"); // an accepted command id must survive a power cut
            st.execute("CREATE TABLE IF NOT EXISTS seen_command (command_id TEXT PRIMARY KEY, expires_at_ms INTEGER NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS seen_command_expiry ON seen_command (expires_at_ms)");
            st.execute("CREATE TABLE IF NOT EXISTS key_sequence (key_id TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
                    + " command_id TEXT NOT NULL, key_id TEXT NOT NULL, type TEXT NOT NULL, reason_code TEXT NOT NULL,"
                    + " detail TEXT NOT NULL, envelope_sha256 BLOB NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0)");
            st.execute("CREATE INDEX IF NOT EXISTS audit_pending ON audit (uploaded, id)");
            st.execute("CREATE INDEX IF NOT EXISTS audit_age ON audit (at_ms)");
            st.execute("CREATE TABLE IF NOT EXISTS key_set (slot INTEGER PRIMARY KEY CHECK (slot = 1),"
                    + " version INTEGER NOT NULL, key_set BLOB NOT NULL, applied_at_ms INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS reply_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL,"
                    + " topic TEXT NOT NULL, correlation BLOB, payload BLOB NOT NULL)");
        }
        conn.setAutoCommit(true);
        seen = conn.prepareStatement("SELECT 1 FROM seen_command WHERE command_id = ?");
        lastSeq = conn.prepareStatement("SELECT last_sequence FROM key_sequence WHERE key_id = ?");
        insertSeen = conn.prepareStatement("INSERT INTO seen_command (command_id, expires_at_ms) VALUES (?, ?)");
        upsertSeq = conn.prepareStatement("INSERT INTO key_sequence (key_id, last_sequence) VALUES (?, ?)"
                + " ON CONFLICT(key_id) DO UPDATE SET last_sequence = excluded.last_sequence");
    }

    /** Opens (creating if needed) {@code dir/commands.db}. */
    public static CommandStateDb open(Path dir) throws CommandStateException {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new CommandStateException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
        return openUrl("jdbc:sqlite:" + dir.resolve(FILE_NAME));
    }

    /** A state that lives only as long as this object (the CLI without --state, tests). */
    public static CommandStateDb inMemory() throws CommandStateException { return openUrl("jdbc:sqlite::memory:"); }

    private static CommandStateDb openUrl(String url) throws CommandStateException {
        try {
            return new CommandStateDb(DriverManager.getConnection(url));
        } catch (SQLException e) {
            throw new CommandStateException("cannot open command state " + url + ": " + e.getMessage(), e);
        }
    }

    public synchronized boolean isSeen(String commandId) throws CommandStateException {
        try {
            seen.setString(1, commandId);
            try (ResultSet rs = seen.executeQuery()) { return rs.next(); }
        } catch (SQLException e) {
            throw fail("read seen command ids", e);
        }
    }

    /** The last accepted sequence of this key, or empty if it never had a command accepted. */
    public synchronized Optional<Long> lastSequence(String keyId) throws CommandStateException {
        try {
            lastSeq.setString(1, keyId);
            try (ResultSet rs = lastSeq.executeQuery()) { return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty(); }
        } catch (SQLException e) {
            throw fail("read key sequence", e);
        }
    }

    /**
     * Records an accepted command in one transaction: its id (kept until {@code keepUntilMs}) and its
     * key's new sequence. After this returns the command can never be accepted again.
     */
    public synchronized void recordAccepted(String commandId, long keepUntilMs, String keyId, long sequence)
            throws CommandStateException {
        try {
            conn.setAutoCommit(false);
            insertSeen.setString(1, commandId);
            insertSeen.setLong(2, keepUntilMs);
            insertSeen.executeUpdate();
            upsertSeq.setString(1, keyId);
            upsertSeq.setLong(2, sequence);
            upsertSeq.executeUpdate();
            conn.commit();
        } catch (SQLException e) {
            rollback();
            throw fail("record accepted command " + commandId, e);
        } finally {
            autoCommit();
        }
    }

    /** Forgets command ids whose validity window ended before {@code nowMs}; returns how many. */
    public synchronized int pruneSeen(long nowMs) throws CommandStateException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM seen_command WHERE expires_at_ms < ?")) {
            ps.setLong(1, nowMs);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("prune seen command ids", e);
        }
    }

    public synchronized int seenCount() throws CommandStateException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM seen_command")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw fail("count seen command ids", e);
        }
    }

    /**
     * Most audit rows kept: anyone who can publish to the command topic can add one (no signature is needed to
     * be rejected), so the table is a ring — the oldest rows go, uploaded or not. docs/security.md#limits.
     */
    public static final int AUDIT_MAX_ROWS = 10_000;
    /** Audit rows older than this are deleted (the cloud has had them, or will never get them). */
    public static final long AUDIT_MAX_AGE_MS = 30L * 24 * 3600 * 1000;

    /**
     * Appends an audit row and, in the same transaction (one fsync), drops rows beyond {@link #AUDIT_MAX_ROWS}
     * and rows older than {@link #AUDIT_MAX_AGE_MS}.
     */
    public synchronized long audit(long atMs, String commandId, String keyId, String type, String reasonCode,
                                   String detail, byte[] envelopeSha256) throws CommandStateException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO audit (at_ms, command_id, key_id, type, reason_code,"
                + " detail, envelope_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
             PreparedStatement prune = conn.prepareStatement("DELETE FROM audit WHERE id <= ? OR at_ms < ?")) {
            conn.setAutoCommit(false);
            ps.setLong(1, atMs);
            ps.setString(2, commandId);
            ps.setString(3, keyId);
            ps.setString(4, type);
            ps.setString(5, reasonCode);
            ps.setString(6, detail);
            ps.setBytes(7, envelopeSha256);
            ps.executeUpdate();
            long id;
            try (ResultSet rs = ps.getGeneratedKeys()) { id = rs.next() ? rs.getLong(1) : -1; }
            prune.setLong(1, id - AUDIT_MAX_ROWS);
            prune.setLong(2, atMs - AUDIT_MAX_AGE_MS);
            prune.executeUpdate();
            conn.commit();
            return id;
        } catch (SQLException e) {
            rollback();
            throw fail("write audit record", e);
        } finally {
            autoCommit();
        }
    }

    public synchronized int auditCount() throws CommandStateException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM audit")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw fail("count audit records", e);
        }
    }

    /** Audit records not yet uploaded, oldest first. */
    public synchronized List<AuditEntry> pendingAudit(int limit) throws CommandStateException {
        return queryAudit("WHERE uploaded = 0 ORDER BY id LIMIT " + Math.max(0, limit));
    }

    public synchronized List<AuditEntry> allAudit() throws CommandStateException {
        return queryAudit("ORDER BY id");
    }

    private List<AuditEntry> queryAudit(String where) throws CommandStateException {
        List<AuditEntry> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, at_ms, command_id,"
                + " key_id, type, reason_code, detail, envelope_sha256 FROM audit " + where)) {
            while (rs.next()) {
                out.add(new AuditEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getBytes(8)));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read audit records", e);
        }
    }

    public synchronized void markAuditUploaded(long id) throws CommandStateException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE audit SET uploaded = 1 WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("mark audit record " + id + " uploaded", e);
        }
    }

    /** A command reply waiting for the broker's PUBACK: where it goes (topic, correlation data) and what it says. */
    public record QueuedReply(long id, String commandId, String topic, byte[] correlation, byte[] payload) {}

    /**
     * Appends a reply to the outbox and, in the same transaction, drops the oldest rows beyond {@code maxRows};
     * returns the command ids of the dropped rows (oldest first), so the caller can count and log them.
     */
    public synchronized List<String> queueReply(String commandId, String topic, byte[] correlation, byte[] payload, int maxRows)
            throws CommandStateException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO reply_outbox (command_id, topic, correlation, payload)"
                + " VALUES (?, ?, ?, ?)");
             PreparedStatement old = conn.prepareStatement("SELECT id, command_id FROM reply_outbox ORDER BY id DESC LIMIT -1 OFFSET ?");
             PreparedStatement drop = conn.prepareStatement("DELETE FROM reply_outbox WHERE id <= ?")) {
            conn.setAutoCommit(false);
            ps.setString(1, commandId);
            ps.setString(2, topic);
            ps.setBytes(3, correlation);
            ps.setBytes(4, payload);
            ps.executeUpdate();
            List<String> dropped = new ArrayList<>();
            long newestDropped = -1;
            old.setInt(1, Math.max(1, maxRows));
            try (ResultSet rs = old.executeQuery()) {
                while (rs.next()) {
                    if (newestDropped < 0) newestDropped = rs.getLong(1);
                    dropped.add(0, rs.getString(2));
                }
            }
            if (newestDropped >= 0) {
                drop.setLong(1, newestDropped);
                drop.executeUpdate();
            }
            conn.commit();
            return dropped;
        } catch (SQLException e) {
            rollback();
            throw fail("queue the reply to command " + commandId, e);
        } finally {
            autoCommit();
        }
    }

    /** Queued replies, oldest first. */
    public synchronized List<QueuedReply> queuedReplies(int limit) throws CommandStateException {
        List<QueuedReply> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, command_id, topic, correlation, payload"
                + " FROM reply_outbox ORDER BY id LIMIT " + Math.max(0, limit))) {
            while (rs.next()) out.add(new QueuedReply(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5)));
            return out;
        } catch (SQLException e) {
            throw fail("read queued replies", e);
        }
    }

    public synchronized int queuedReplyCount() throws CommandStateException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM reply_outbox")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw fail("count queued replies", e);
        }
    }

    /** Removes a reply the broker acknowledged (or refused for good). */
    public synchronized void removeReply(long id) throws CommandStateException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM reply_outbox WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("remove queued reply " + id, e);
        }
    }

    /** The persisted key set (a serialized KeySet with its roots), if a key-set update was ever applied. */
    public synchronized Optional<byte[]> loadKeySet() throws CommandStateException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT key_set FROM key_set WHERE slot = 1")) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        } catch (SQLException e) {
            throw fail("read key set", e);
        }
    }

    /**
     * The key set kept in {@code dir/commands.db}, read through a read-only connection: no schema, no pragma, no row
     * of the file changes (the carry-over to the trust store's own file, and a CLI reading a device's state).
     */
    public static Optional<byte[]> readKeySet(Path dir) throws CommandStateException {
        Path file = dir.resolve(FILE_NAME);
        org.sqlite.SQLiteConfig ro = new org.sqlite.SQLiteConfig();
        ro.setReadOnly(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, ro.toProperties());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT key_set FROM key_set WHERE slot = 1")) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new CommandStateException("command state " + file + ": cannot read the key set: " + e.getMessage(), e);
        }
    }

    public synchronized void saveKeySet(long version, byte[] keySet, long nowMs) throws CommandStateException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO key_set (slot, version, key_set, applied_at_ms)"
                + " VALUES (1, ?, ?, ?) ON CONFLICT(slot) DO UPDATE SET version = excluded.version,"
                + " key_set = excluded.key_set, applied_at_ms = excluded.applied_at_ms")) {
            ps.setLong(1, version);
            ps.setBytes(2, keySet);
            ps.setLong(3, nowMs);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("save key set version " + version, e);
        }
    }

    private void rollback() {
        try { conn.rollback(); } catch (SQLException ignored) { /* the original failure is what matters */ }
    }

    private void autoCommit() {
        try { conn.setAutoCommit(true); } catch (SQLException ignored) { /* next statement will report it */ }
    }

    private static CommandStateException fail(String what, SQLException e) {
        return new CommandStateException("command state: cannot " + what + ": " + e.getMessage(), e);
    }

    @Override public synchronized void close() {
        try { conn.close(); } catch (SQLException ignored) { /* closing: nothing left to protect */ }
    }
}
