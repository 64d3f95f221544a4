package dev.vgate.buffer.store;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.CodecException;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.ValueEncoding;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store-and-forward buffer: one SQLite database in WAL mode with {@code synchronous=FULL}, so every
 * committed transaction (a group-commit window, an alert) survives kill -9 and power loss; integrity is
 * SQLite's own job. Chunks are assigned to a batch in a transaction before they are published and deleted
 * only by {@link #acknowledge}. All methods are synchronized: one connection, one writer.
 */
public final class SqliteTelemetryStore implements AutoCloseable {
    private static final String SCHEMA = ""
            + "CREATE TABLE IF NOT EXISTS streams(id INTEGER PRIMARY KEY, bus TEXT NOT NULL, message TEXT NOT NULL, signal TEXT NOT NULL,"
            + " signal_index INTEGER NOT NULL, frame_id INTEGER NOT NULL, encoding INTEGER NOT NULL, factor REAL NOT NULL, offset REAL NOT NULL,"
            + " UNIQUE(bus, message, signal));"
            + "CREATE TABLE IF NOT EXISTS chunks(id INTEGER PRIMARY KEY, stream INTEGER NOT NULL REFERENCES streams(id), priority INTEGER NOT NULL,"
            + " count INTEGER NOT NULL, first_us INTEGER NOT NULL, unit_us INTEGER NOT NULL, ts BLOB NOT NULL, vals BLOB NOT NULL, batch INTEGER);"
            + "CREATE INDEX IF NOT EXISTS chunks_by_batch ON chunks(batch, priority, id);"
            + "CREATE TABLE IF NOT EXISTS batches(seq INTEGER PRIMARY KEY, priority INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
            + " evicted_bulk INTEGER NOT NULL, evicted_normal INTEGER NOT NULL, downsampled INTEGER NOT NULL);"
            + "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);";

    private final Connection db;
    private boolean lastAssignmentCut;
    private final Path file;
    private final long quotaBytes;
    private final Map<String, Integer> streamIds = new HashMap<>();
    private final Map<Integer, StreamInfo> streams = new HashMap<>();

    private SqliteTelemetryStore(Connection db, Path file, long quotaBytes) {
        this.db = db;
        this.file = file;
        this.quotaBytes = quotaBytes;
    }

    /**
     * Opens (creating if needed) the buffer at {@code file}. {@code quotaBytes} bounds the pages in use
     * (0 = no quota); the file itself never shrinks below its high-water mark, freed pages are reused.
     */
    public static SqliteTelemetryStore open(Path file, long quotaBytes) throws StoreException {
        return open(file, quotaBytes, true);
    }

    /**
     * {@code durable} false (synchronous=OFF) is only for throw-away buffers such as {@code telemetry pack}'s:
     * a crash may then lose or corrupt the database.
     */
    public static SqliteTelemetryStore open(Path file, long quotaBytes, boolean durable) throws StoreException {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // FULL: the WAL is fsynced at every commit, so an acknowledged alert survives power loss.
                // Commits are one per group window (1/s) plus alerts, so the fsync cost is small.
                s.execute(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA journal_size_limit=" + (8 << 20));
                s.execute("PRAGMA busy_timeout=5000");
                c.setAutoCommit(false);
                for (String stmt : SCHEMA.split(";")) if (!stmt.isBlank()) s.execute(stmt);
                s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('next_seq', 1), ('evicted_bulk', 0), ('evicted_normal', 0), ('downsampled', 0)");
                c.commit();
            }
            SqliteTelemetryStore store = new SqliteTelemetryStore(c, file, quotaBytes);
            store.loadStreams();
            return store;
        } catch (SQLException e) {
            throw new StoreException("cannot open telemetry buffer " + file + ": " + e.getMessage(), e);
        }
    }

    private void loadStreams() throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, bus, message, signal, signal_index, frame_id, encoding, factor, offset FROM streams")) {
            while (rs.next()) {
                StreamInfo info = new StreamInfo(rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6),
                        encodingOf(rs.getInt(7)), rs.getDouble(8), rs.getDouble(9));
                streams.put(rs.getInt(1), info);
                streamIds.put(key(info), rs.getInt(1));
            }
        }
        db.commit();
    }

    private static ValueEncoding encodingOf(int code) throws SQLException {
        try {
            return ValueEncoding.ofCode(code);
        } catch (CodecException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    private static String key(StreamInfo s) { return s.bus() + '\u0000' + s.message() + '\u0000' + s.signal(); }

    /** The id of a stream, registering it (committed at once) on first use. */
    public synchronized int streamId(StreamInfo info) throws StoreException {
        Integer id = streamIds.get(key(info));
        if (id != null) return id;
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO streams(bus, message, signal, signal_index, frame_id, encoding, factor, offset) VALUES (?,?,?,?,?,?,?,?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, info.bus());
            ps.setString(2, info.message());
            ps.setString(3, info.signal());
            ps.setInt(4, info.signalIndex());
            ps.setInt(5, info.frameId());
            ps.setInt(6, info.encoding().code());
            ps.setDouble(7, info.factor());
            ps.setDouble(8, info.offset());
            ps.executeUpdate();
            int newId;
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                newId = rs.getInt(1);
            }
            db.commit();
            streamIds.put(key(info), newId);
            streams.put(newId, info);
            return newId;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot register stream " + info.bus() + " " + info.message() + "." + info.signal() + ": " + e.getMessage(), e);
        }
    }

    public synchronized StreamInfo stream(int id) { return streams.get(id); }

    /**
     * Commits one group window (one transaction, fsynced), adds the policy's downsampled count, then applies
     * the quota. When this returns, the window is durable.
     */
    public synchronized void commitWindow(List<PendingChunk> chunks, long downsampled) throws StoreException {
        try {
            insertChunks(chunks, null);
            if (downsampled > 0) addMeta("downsampled", downsampled);
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("group commit of " + chunks.size() + " chunks failed: " + e.getMessage(), e);
        }
        enforceQuota();
    }

    /** Commits one alert chunk as its own batch (fsynced before returning) so it can be published at once. */
    public synchronized BatchRecord commitAlert(PendingChunk chunk, long nowUnixMs) throws StoreException {
        try {
            long seq = nextSequence();
            insertChunks(List.of(chunk), seq);
            insertBatch(seq, Priority.ALERT, nowUnixMs, DataLoss.NONE);
            db.commit();
            return loadBatch(seq);
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("alert commit failed: " + e.getMessage(), e);
        }
    }

    private void insertChunks(List<PendingChunk> chunks, Long batch) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO chunks(stream, priority, count, first_us, unit_us, ts, vals, batch) VALUES (?,?,?,?,?,?,?,?)")) {
            for (PendingChunk p : chunks) {
                EncodedChunk c = p.chunk();
                ps.setInt(1, p.streamId());
                ps.setInt(2, p.priority().code());
                ps.setInt(3, c.count());
                ps.setLong(4, c.firstTimestampUs());
                ps.setLong(5, c.timestampUnitUs());
                ps.setBytes(6, c.timestamps());
                ps.setBytes(7, c.values());
                if (batch == null) ps.setNull(8, java.sql.Types.INTEGER);
                else ps.setLong(8, batch);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Assigns the oldest unassigned chunks of {@code priority} (up to about {@code maxSamples}) to a new batch
     * with the next sequence, together with the data-loss counters accumulated so far; null if none.
     */
    public synchronized BatchRecord assignBatch(Priority priority, int maxSamples, long nowUnixMs) throws StoreException {
        return assignBatch(priority, maxSamples, Long.MAX_VALUE, nowUnixMs);
    }

    /**
     * As {@link #assignBatch(Priority, int, long)}, also cut when the chunks' stored bytes would pass {@code maxStoredBytes}
     * (at least one chunk is always taken). {@link #lastAssignmentCut()} tells whether a cap left chunks behind.
     */
    public synchronized BatchRecord assignBatch(Priority priority, int maxSamples, long maxStoredBytes, long nowUnixMs) throws StoreException {
        try {
            List<Long> ids = new ArrayList<>();
            long samples = 0, bytes = 0;
            lastAssignmentCut = false;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT id, count, length(ts) + length(vals) FROM chunks WHERE batch IS NULL AND priority = ? ORDER BY id")) {
                ps.setInt(1, priority.code());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!ids.isEmpty() && (samples + rs.getInt(2) > maxSamples || bytes + rs.getLong(3) > maxStoredBytes)) {
                            lastAssignmentCut = true;
                            break;
                        }
                        ids.add(rs.getLong(1));
                        samples += rs.getInt(2);
                        bytes += rs.getLong(3);
                    }
                }
            }
            if (ids.isEmpty()) {
                db.commit();
                return null;
            }
            long seq = nextSequence();
            DataLoss loss = new DataLoss(takeMeta("evicted_bulk"), takeMeta("evicted_normal"), takeMeta("downsampled"));
            try (PreparedStatement ps = db.prepareStatement("UPDATE chunks SET batch = ? WHERE id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, seq);
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            insertBatch(seq, priority, nowUnixMs, loss);
            db.commit();
            return loadBatch(seq);
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot assign a " + priority + " batch: " + e.getMessage(), e);
        }
    }

    /** Whether the last {@code assignBatch} stopped at a cap with chunks left over (a backlog, not one interval's data). */
    public synchronized boolean lastAssignmentCut() { return lastAssignmentCut; }

    /** Batches assigned but not yet acknowledged, oldest first (re-sent after a restart with the same sequence). */
    public synchronized List<Long> unacknowledgedBatches() throws StoreException {
        List<Long> seqs = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM batches ORDER BY seq")) {
            while (rs.next()) seqs.add(rs.getLong(1));
            db.commit();
            return seqs;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot list unacknowledged batches: " + e.getMessage(), e);
        }
    }

    /** Reads an assigned batch back (chunks in insertion order); null if it was acknowledged. */
    public synchronized BatchRecord batch(long seq) throws StoreException {
        try {
            BatchRecord b = loadBatch(seq);
            db.commit();
            return b;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot read batch " + seq + ": " + e.getMessage(), e);
        }
    }

    private BatchRecord loadBatch(long seq) throws SQLException {
        Priority priority;
        long created;
        DataLoss loss;
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT priority, created_ms, evicted_bulk, evicted_normal, downsampled FROM batches WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                priority = Priority.ofCode(rs.getInt(1));
                created = rs.getLong(2);
                loss = new DataLoss(rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        }
        List<StoredChunk> chunks = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, stream, count, first_us, unit_us, ts, vals FROM chunks WHERE batch = ? ORDER BY id")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int streamId = rs.getInt(2);
                    StreamInfo info = streams.get(streamId);
                    if (info == null) throw new SQLException("chunk " + rs.getLong(1) + " refers to unknown stream " + streamId);
                    EncodedChunk c = new EncodedChunk(info.encoding(), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getBytes(6), rs.getBytes(7));
                    chunks.add(new StoredChunk(rs.getLong(1), info, streamId, c));
                }
            }
        }
        return new BatchRecord(seq, priority, created, loss, chunks);
    }

    /** The broker acknowledged {@code seq}: its chunks are deleted (committed) now, not before. */
    public synchronized void acknowledge(long seq) throws StoreException {
        try (PreparedStatement del = db.prepareStatement("DELETE FROM chunks WHERE batch = ?");
             PreparedStatement delBatch = db.prepareStatement("DELETE FROM batches WHERE seq = ?")) {
            del.setLong(1, seq);
            del.executeUpdate();
            delBatch.setLong(1, seq);
            delBatch.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot delete acknowledged batch " + seq + ": " + e.getMessage(), e);
        }
    }

    /** Pages in use (excluding free pages) times the page size. */
    public synchronized long usedBytes() throws StoreException {
        try {
            long v = pragma("page_count") - pragma("freelist_count");
            long size = v * pragma("page_size");
            db.commit();
            return size;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot read page counts: " + e.getMessage(), e);
        }
    }

    /** Evicts unassigned bulk chunks oldest-first, then normal, until the used bytes fit the quota. Never alerts. */
    private void enforceQuota() throws StoreException {
        if (quotaBytes <= 0) return;
        try {
            long used = (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
            for (Priority p : new Priority[] {Priority.BULK, Priority.NORMAL}) {
                while (used > quotaBytes) {
                    long evicted = evictOldest(p, 32);
                    if (evicted < 0) break;
                    addMeta(p == Priority.BULK ? "evicted_bulk" : "evicted_normal", evicted);
                    db.commit();
                    used = (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
                }
            }
            db.commit();
            if (used > quotaBytes) Logger.warn("telemetry buffer uses {} bytes, above its quota of {}: only alerts and in-flight batches left", used, quotaBytes);
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("quota enforcement failed: " + e.getMessage(), e);
        }
    }

    /** Deletes up to {@code rows} oldest unassigned chunks of a priority; returns their sample count, or -1 if none. */
    private long evictOldest(Priority p, int rows) throws SQLException {
        long samples = 0;
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, count FROM chunks WHERE batch IS NULL AND priority = ? ORDER BY id LIMIT ?")) {
            ps.setInt(1, p.code());
            ps.setInt(2, rows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    samples += rs.getLong(2);
                }
            }
        }
        if (ids.isEmpty()) return -1;
        try (PreparedStatement del = db.prepareStatement("DELETE FROM chunks WHERE id = ?")) {
            for (long id : ids) {
                del.setLong(1, id);
                del.addBatch();
            }
            del.executeBatch();
        }
        return samples;
    }

    public synchronized StoreStats stats() throws StoreException {
        try {
            long[] byPriority = new long[4];
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT priority, SUM(count) FROM chunks GROUP BY priority")) {
                while (rs.next()) byPriority[rs.getInt(1)] = rs.getLong(2);
            }
            DataLoss loss = new DataLoss(meta("evicted_bulk"), meta("evicted_normal"), meta("downsampled"));
            long used = (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
            db.commit();
            return new StoreStats(byPriority[1], byPriority[2], byPriority[3], used, loss);
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("cannot read buffer statistics: " + e.getMessage(), e);
        }
    }

    /** Runs {@code PRAGMA integrity_check}; returns "ok" or SQLite's first findings. */
    public synchronized String integrityCheck() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) sb.append(sb.length() == 0 ? "" : "; ").append(rs.getString(1));
            db.commit();
            return sb.toString();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("integrity_check failed to run: " + e.getMessage(), e);
        }
    }

    private long nextSequence() throws SQLException {
        long seq = meta("next_seq");
        setMeta("next_seq", seq + 1);
        return seq;
    }

    private void insertBatch(long seq, Priority p, long createdMs, DataLoss loss) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO batches(seq, priority, created_ms, evicted_bulk, evicted_normal, downsampled) VALUES (?,?,?,?,?,?)")) {
            ps.setLong(1, seq);
            ps.setInt(2, p.code());
            ps.setLong(3, createdMs);
            ps.setLong(4, loss.evictedBulk());
            ps.setLong(5, loss.evictedNormal());
            ps.setLong(6, loss.downsampled());
            ps.executeUpdate();
        }
    }

    private long meta(String key) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private void setMeta(String key, long value) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }

    private void addMeta(String key, long delta) throws SQLException { setMeta(key, meta(key) + delta); }

    private long takeMeta(String key) throws SQLException {
        long v = meta(key);
        if (v != 0) setMeta(key, 0);
        return v;
    }

    private long pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            Logger.warn("rollback of the telemetry buffer {} failed: {}", file, e.getMessage());
        }
    }

    @Override public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            Logger.warn("closing the telemetry buffer {} failed: {}", file, e.getMessage());
        }
    }
}
