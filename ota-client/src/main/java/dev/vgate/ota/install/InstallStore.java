package dev.vgate.ota.install;

import dev.vgate.ota.manifest.Version;
import dev.vgate.ota.OtaException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.vgate.ota.OtaException.Reason.STATE_STORE;

/**
 * The install state machine's memory in SQLite (rollback journal, synchronous=EXTRA: a committed transition
 * survives a power cut right after the commit). Thread-safe (one connection, methods serialized). Holds at most one unfinished install, the outcomes waiting to be reported, and each slot's version.
 */
public final class InstallStore implements AutoCloseable {
    private final Connection db;
    private final Clock clock;

    public InstallStore(Path file, Clock clock) throws OtaException {
        this.clock = clock;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=DELETE");
                // In DELETE mode the commit is the journal's unlink; FULL does not sync the directory after it,
                // so a power cut right after a commit rolled the transition back (systest power-cut: the
                // record said WRITTEN after vgate had printed VERIFIED). EXTRA syncs the directory too.
                s.execute("PRAGMA synchronous=EXTRA");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS install (id INTEGER PRIMARY KEY, envelope BLOB NOT NULL, source_slot TEXT NOT NULL,"
                        + " target_slot TEXT NOT NULL, from_version TEXT NOT NULL, to_version TEXT NOT NULL, state TEXT NOT NULL,"
                        + " full_image INTEGER NOT NULL DEFAULT 0, error TEXT, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS outcome (id INTEGER PRIMARY KEY, install_id INTEGER NOT NULL, from_version TEXT NOT NULL,"
                        + " to_version TEXT NOT NULL, result TEXT NOT NULL, reason TEXT, at_ms INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0)");
                s.execute("CREATE TABLE IF NOT EXISTS slot_version (slot TEXT PRIMARY KEY, version TEXT NOT NULL)");
                // the anti-rollback floor: the newest version that ever committed (one row)
                s.execute("CREATE TABLE IF NOT EXISTS rollback_floor (one INTEGER PRIMARY KEY CHECK (one = 1), version TEXT NOT NULL,"
                        + " at_ms INTEGER NOT NULL)");
            }
        } catch (SQLException e) {
            throw new OtaException(STATE_STORE, "cannot open OTA state store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The unfinished install, if any. */
    public synchronized Optional<InstallRecord> current() throws OtaException {
        return query("SELECT * FROM install WHERE state NOT IN ('COMMITTED','ROLLED_BACK','FAILED','ABORTED') ORDER BY id DESC LIMIT 1");
    }

    public synchronized Optional<InstallRecord> latest() throws OtaException {
        return query("SELECT * FROM install ORDER BY id DESC LIMIT 1");
    }

    private Optional<InstallRecord> query(String sql) throws OtaException {
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new InstallRecord(rs.getLong("id"), rs.getBytes("envelope"), rs.getString("source_slot"),
                    rs.getString("target_slot"), rs.getString("from_version"), rs.getString("to_version"),
                    InstallState.valueOf(rs.getString("state")), rs.getInt("full_image") != 0, rs.getString("error")));
        } catch (SQLException e) {
            throw fail("read install", e);
        }
    }

    public synchronized InstallRecord create(byte[] envelope, String source, String target, String from, String to) throws OtaException {
        long now = clock.millis();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO install (envelope, source_slot, target_slot, from_version, to_version,"
                + " state, created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setBytes(1, envelope);
            ps.setString(2, source);
            ps.setString(3, target);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, InstallState.PLANNED.name());
            ps.setLong(7, now);
            ps.setLong(8, now);
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                k.next();
                return new InstallRecord(k.getLong(1), envelope, source, target, from, to, InstallState.PLANNED, false, null);
            }
        } catch (SQLException e) {
            throw fail("create install", e);
        }
    }

    public synchronized InstallRecord transition(InstallRecord r, InstallState to, String error) throws OtaException {
        return update(r, to, r.fullImage(), error);
    }

    public synchronized InstallRecord useFullImage(InstallRecord r) throws OtaException { return update(r, r.state(), true, r.error()); }

    private InstallRecord update(InstallRecord r, InstallState to, boolean full, String error) throws OtaException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE install SET state=?, full_image=?, error=?, updated_ms=? WHERE id=?")) {
            ps.setString(1, to.name());
            ps.setInt(2, full ? 1 : 0);
            ps.setString(3, error);
            ps.setLong(4, clock.millis());
            ps.setLong(5, r.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("update install " + r.id(), e);
        }
        return new InstallRecord(r.id(), r.envelope(), r.sourceSlot(), r.targetSlot(), r.fromVersion(), r.toVersion(), to, full, error);
    }

    public synchronized UpdateOutcome recordOutcome(InstallRecord r, UpdateOutcome.Result result, String reason) throws OtaException {
        long now = clock.millis();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO outcome (install_id, from_version, to_version, result, reason, at_ms)"
                + " VALUES (?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, r.id());
            ps.setString(2, r.fromVersion());
            ps.setString(3, r.toVersion());
            ps.setString(4, result.name());
            ps.setString(5, reason);
            ps.setLong(6, now);
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                k.next();
                return new UpdateOutcome(k.getLong(1), r.id(), r.fromVersion(), r.toVersion(), result, reason, now);
            }
        } catch (SQLException e) {
            throw fail("record outcome", e);
        }
    }

    /** Ends an install: the terminal state and its outcome in one transaction. */
    public synchronized UpdateOutcome finish(InstallRecord r, InstallState terminal, UpdateOutcome.Result result, String reason) throws OtaException {
        try {
            db.setAutoCommit(false);
            transition(r, terminal, reason);
            UpdateOutcome o = recordOutcome(r, result, reason);
            if (terminal == InstallState.COMMITTED) raiseFloor(r.toVersion());
            db.commit();
            return o;
        } catch (SQLException e) {
            throw fail("finish install " + r.id(), e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is unusable anyway; the next call reports it
            }
        }
    }

    /**
     * The anti-rollback floor: the highest version that committed on this device. Updates below it are refused
     * unless the root threshold approved them. Kept in this database (same durability as the install record:
     * synchronous=EXTRA), and raised in the same transaction that commits an install.
     */
    public synchronized Optional<Version> rollbackFloor() throws OtaException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM rollback_floor WHERE one=1")) {
            return rs.next() ? Optional.of(Version.parse(rs.getString(1))) : Optional.empty();
        } catch (SQLException | IllegalArgumentException e) {
            throw new OtaException(STATE_STORE, "OTA state store: cannot read the anti-rollback floor: " + e.getMessage(), e);
        }
    }

    /** Raises the floor to {@code version} if it is above it (never lowers it). */
    public synchronized void raiseFloor(String version) throws OtaException {
        Version v = Version.parse(version);
        Optional<Version> cur = rollbackFloor();
        if (cur.isPresent() && cur.get().compareTo(v) >= 0) return;
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO rollback_floor (one, version, at_ms) VALUES (1,?,?)")) {
            ps.setString(1, version);
            ps.setLong(2, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("raise the anti-rollback floor", e);
        }
    }

    /** The clock installs are stamped with (manifest expiry is checked against it). */
    public Clock clock() { return clock; }

    public synchronized List<UpdateOutcome> pendingOutcomes() throws OtaException {
        List<UpdateOutcome> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT * FROM outcome WHERE reported=0 ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                out.add(new UpdateOutcome(rs.getLong("id"), rs.getLong("install_id"), rs.getString("from_version"), rs.getString("to_version"),
                        UpdateOutcome.Result.valueOf(rs.getString("result")), rs.getString("reason"), rs.getLong("at_ms")));
        } catch (SQLException e) {
            throw fail("read outcomes", e);
        }
        return out;
    }

    public synchronized void markReported(long outcomeId) throws OtaException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE outcome SET reported=1 WHERE id=?")) {
            ps.setLong(1, outcomeId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("mark outcome reported", e);
        }
    }

    public synchronized Optional<String> slotVersion(String slot) throws OtaException {
        try (PreparedStatement ps = db.prepareStatement("SELECT version FROM slot_version WHERE slot=?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw fail("read slot version", e);
        }
    }

    public synchronized void setSlotVersion(String slot, String version) throws OtaException {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO slot_version (slot, version) VALUES (?,?)")) {
            ps.setString(1, slot);
            ps.setString(2, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("write slot version", e);
        }
    }

    private static OtaException fail(String what, SQLException e) {
        return new OtaException(STATE_STORE, "OTA state store: cannot " + what + ": " + e.getMessage(), e);
    }

    @Override public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing on shutdown; nothing left to protect
        }
    }
}
