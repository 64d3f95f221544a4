package dev.vgate.buffer.collect;

import dev.vgate.buffer.DaemonThread;
import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.PendingChunk;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoreException;
import org.tinylog.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects kept samples in memory and makes them durable one window at a time ({@link #commit()}, called
 * every window by {@link #start} or by the caller). The ingest side only appends to primitive arrays under
 * a short lock; encoding and the SQLite transaction happen on the committing thread, outside it. Alerts
 * bypass the window: they are committed before {@link #addAlert} returns.
 */
public final class GroupCommitter implements AutoCloseable {
    private final SqliteTelemetryStore store;
    private final AlertListener alerts;
    private final Object commitLock = new Object();
    private Window open = new Window();
    private Window spare = new Window();
    private final DaemonThread thread = new DaemonThread("vgate-telemetry-commit");
    private volatile long committedSamples;
    private volatile long acceptedSamples;
    /** ~16 MB of primitive arrays: 20 s of a busy CAN-FD gateway (50,000 samples/s), far above one 1 s window. */
    public static final int DEFAULT_MAX_WINDOW_SAMPLES = 1_000_000;
    private final int maxWindowSamples;
    private long nextBackpressureCommitNs = Long.MIN_VALUE;

    public GroupCommitter(SqliteTelemetryStore store, AlertListener alerts) {
        this(store, alerts, DEFAULT_MAX_WINDOW_SAMPLES);
    }

    /**
     * @param maxWindowSamples when the open window holds this many samples, the thread adding the next one
     *                         commits it itself (backpressure: memory stays bounded when samples arrive faster
     *                         than the committing thread makes them durable)
     */
    public GroupCommitter(SqliteTelemetryStore store, AlertListener alerts, int maxWindowSamples) {
        if (maxWindowSamples < 1) throw new IllegalArgumentException("maxWindowSamples must be positive, got " + maxWindowSamples);
        this.store = store;
        this.alerts = alerts;
        this.maxWindowSamples = maxWindowSamples;
    }

    public SqliteTelemetryStore store() { return store; }

    /** Appends one kept normal/bulk sample to the open window. */
    public void add(int streamId, Priority priority, long timestampUs, long raw) {
        boolean full;
        synchronized (this) {
            open.column(streamId, priority).add(timestampUs, raw);
            acceptedSamples++;
            full = ++open.samples >= maxWindowSamples && System.nanoTime() >= nextBackpressureCommitNs;
        }
        if (full) commitBecauseFull();
    }

    private void commitBecauseFull() {
        try {
            commit();
        } catch (StoreException e) {
            // the samples stay in the window; try again in a while rather than on every sample
            synchronized (this) {
                nextBackpressureCommitNs = System.nanoTime() + 1_000_000_000L;
            }
            Logger.error("telemetry window full ({} samples) and its commit failed: {}", maxWindowSamples, e.getMessage());
        }
    }

    /** Counts a sample the collection policy dropped. */
    public synchronized void countDownsampled() { open.downsampled++; }

    /** Commits an alert sample now (fsynced); returns once it is durable. On failure it joins the open window. */
    public void addAlert(int streamId, long timestampUs, long raw, long nowUnixMs) throws StoreException {
        SampleColumn one = new SampleColumn(1);
        one.add(timestampUs, raw);
        EncodedChunk chunk = EncodedChunk.encode(store.stream(streamId).encoding(), one);
        BatchRecord batch;
        synchronized (commitLock) {
            batch = store.commitAlert(new PendingChunk(streamId, Priority.ALERT, chunk), nowUnixMs);
        }
        alerts.alertCommitted(batch);
    }

    /** Makes the open window durable; returns the number of samples committed. */
    public int commit() throws StoreException {
        synchronized (commitLock) {
            Window w;
            synchronized (this) {
                w = open;
                open = spare;
                spare = null;
            }
            try {
                if (w.samples == 0 && w.downsampled == 0) return 0;
                List<PendingChunk> chunks = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    SampleColumn[] cols = w.columns[p];
                    for (int id = 0; id < cols.length; id++) {
                        SampleColumn c = cols[id];
                        if (c == null || c.size() == 0) continue;
                        Priority pr = p == 0 ? Priority.NORMAL : Priority.BULK;
                        chunks.add(new PendingChunk(id, pr, EncodedChunk.encode(store.stream(id).encoding(), c)));
                    }
                }
                store.commitWindow(chunks, w.downsampled);
                int n = w.samples;
                committedSamples += n;
                w.release();
                return n;
            } catch (StoreException e) {
                // keep the samples: merge them back in front of what arrived meanwhile, retry next window
                synchronized (this) {
                    w.absorb(open);
                    open = w;
                    w = new Window();
                }
                throw e;
            } finally {
                synchronized (this) {
                    spare = w;
                }
            }
        }
    }

    /** Samples made durable so far by {@link #commit()} (not counting alerts). */
    public long committedSamples() { return committedSamples; }

    /**
     * Samples handed to {@link #add} so far. Equal to {@link #committedSamples()} once every accepted sample is
     * durable; the difference is what still waits in the open window (or in a commit under way).
     */
    public long acceptedSamples() { return acceptedSamples; }

    /** Starts the background thread that commits every {@code windowMs}. */
    public void start(long windowMs) {
        thread.start(() -> loop(windowMs));
    }

    private void loop(long windowMs) {
        while (thread.running()) {
            try {
                Thread.sleep(windowMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                commit();
            } catch (StoreException e) {
                Logger.error("telemetry group commit failed, samples kept in memory for the next window: {}", e.getMessage());
            }
        }
    }

    /** Stops the thread and commits what is open. */
    @Override public void close() {
        thread.stop(5000);
        try {
            commit();
        } catch (StoreException e) {
            Logger.error("final telemetry commit failed: {}", e.getMessage());
        }
    }

    /**
     * Per-stream columns of one window, [0] normal, [1] bulk. A committed window lets go of its columns and
     * grows new ones as samples arrive: keeping both windows' columns at their peak size was 5-9 MiB of the
     * daemon's 24 MiB heap at 10 k frames/s, against ~2 MiB/s of short-lived arrays the young generation
     * collects cheaply (docs/benchmarks.md, "Footprint").
     */
    private static final class Window {
        SampleColumn[][] columns = {new SampleColumn[64], new SampleColumn[64]};
        int samples;
        long downsampled;

        SampleColumn column(int streamId, Priority p) {
            int k = p == Priority.BULK ? 1 : 0;
            SampleColumn[] cols = columns[k];
            if (streamId >= cols.length) cols = columns[k] = Arrays.copyOf(cols, Math.max(streamId + 1, cols.length * 2));
            SampleColumn c = cols[streamId];
            if (c == null) c = cols[streamId] = new SampleColumn(16);
            return c;
        }

        void absorb(Window later) {
            for (int k = 0; k < 2; k++) {
                SampleColumn[] cols = later.columns[k];
                for (int id = 0; id < cols.length; id++) {
                    if (cols[id] != null && cols[id].size() > 0) column(id, k == 0 ? Priority.NORMAL : Priority.BULK).addAll(cols[id]);
                }
            }
            samples += later.samples;
            downsampled += later.downsampled;
        }

        void release() {
            for (SampleColumn[] cols : columns) Arrays.fill(cols, null);
            samples = 0;
            downsampled = 0;
        }
    }
}
