package dev.vgate.agent.daemon;

import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts services in order, retries the ones that fail with exponential backoff, stops all in reverse
 * order within a bound. Thread-safe; one scheduler thread does every start and retry, so services never
 * start concurrently with each other.
 */
public final class Supervisor implements AutoCloseable {
    public enum State { PENDING, RUNNING, RETRYING, STOPPED }

    private static final class Entry {
        final Service service;
        volatile State state = State.PENDING;
        volatile String lastError;
        volatile int attempts;
        volatile long backoffMillis;

        Entry(Service s, long initialBackoff) { service = s; backoffMillis = initialBackoff; }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private volatile boolean stopping;

    public Supervisor(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    public Supervisor() { this(Duration.ofSeconds(1), Duration.ofSeconds(60)); }

    /**
     * Adds a service; services start in the order they were added. The stand-in of a part the configuration
     * leaves out is not added: it has nothing to run, and the status lists only what runs.
     */
    public synchronized Supervisor add(Service s) {
        if (!s.present()) return this;
        entries.add(new Entry(s, initialBackoff.toMillis()));
        return this;
    }

    /**
     * Starts every service once, in order, and returns when each has either started or failed its first
     * attempt (failed ones keep being retried in the background).
     */
    public void startAll() throws InterruptedException {
        List<Entry> snapshot;
        synchronized (this) { snapshot = List.copyOf(entries); }
        try {
            scheduler.submit(() -> { for (Entry e : snapshot) tryStart(e); }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("supervisor failed", e.getCause());
        }
    }

    private void tryStart(Entry e) {
        if (stopping || e.state == State.RUNNING) return;
        e.attempts++;
        try {
            e.service.start();
            e.state = State.RUNNING;
            e.lastError = null;
            e.backoffMillis = initialBackoff.toMillis();
            Logger.info("{} started{}", e.service.name(), e.attempts > 1 ? " (attempt " + e.attempts + ")" : "");
        } catch (Exception | LinkageError ex) {
            e.state = State.RETRYING;
            e.lastError = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            long delay = e.backoffMillis;
            e.backoffMillis = Math.min(maxBackoff.toMillis(), delay * 2);
            Logger.warn("{} did not start: {} (retry in {} ms)", e.service.name(), e.lastError, delay);
            if (!stopping) scheduler.schedule(() -> tryStart(e), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops every service in reverse order, each within {@code perService}; returns the names that overran. */
    public List<String> stopAll(Duration perService) {
        stopping = true;
        List<Entry> reversed;
        synchronized (this) { reversed = new ArrayList<>(entries); }
        Collections.reverse(reversed);
        List<String> overran = new ArrayList<>();
        ExecutorService stopper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "supervisor-stop");
            t.setDaemon(true);
            return t;
        });
        for (Entry e : reversed) {
            if (e.state == State.STOPPED) continue;
            Future<?> f = stopper.submit(e.service::stop);
            try {
                f.get(perService.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException te) {
                overran.add(e.service.name());
                Logger.error("{} did not stop within {} ms", e.service.name(), perService.toMillis());
                f.cancel(true);
                stopper.shutdownNow();
                stopper = Executors.newSingleThreadExecutor();
            } catch (Exception ex) {
                Logger.error(ex, "{} failed while stopping", e.service.name());
            }
            e.state = State.STOPPED;
        }
        stopper.shutdownNow();
        scheduler.shutdownNow();
        return overran;
    }

    /**
     * Whether the supervisor's thread (which starts and retries every service) still runs tasks: false
     * when a service's start hangs or the supervisor was stopped. The daemon's watchdog pings depend on it.
     */
    public boolean responsive(Duration bound) throws InterruptedException {
        try {
            scheduler.submit(() -> { }).get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    public synchronized State state(String serviceName) {
        for (Entry e : entries) if (e.service.name().equals(serviceName)) return e.state;
        throw new IllegalArgumentException("no service " + serviceName);
    }

    /** Every service's state, last error and own status, for the status report. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("state", e.state.name().toLowerCase());
            boolean healthy;
            try {
                healthy = e.state == State.RUNNING && e.service.healthy();
                s.putAll(e.service.status());
            } catch (RuntimeException ex) {
                healthy = false;
                s.put("status_error", String.valueOf(ex.getMessage()));
            }
            s.put("healthy", healthy);
            if (e.lastError != null) s.put("last_error", e.lastError);
            if (e.attempts > 1) s.put("start_attempts", e.attempts);
            out.put(e.service.name(), s);
        }
        return out;
    }

    /** True when every service runs and reports healthy. */
    public synchronized boolean allHealthy() {
        for (Entry e : entries) if (e.state != State.RUNNING || !e.service.healthy()) return false;
        return true;
    }

    @Override public void close() { stopAll(Duration.ofSeconds(5)); }
}
