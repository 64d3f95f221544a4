package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.FrameHandler;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link FrameEvaluator} for a live channel: frames come from the channel's receive thread, which blocks in
 * read while the bus is quiet, so a timer also ticks the engine (a debounce ends on time, stale() fires when
 * one signal stops while others still arrive). The engine is single-threaded, so both go through one lock;
 * on the frame path it is uncontended but for the tick's few microseconds.
 * <p>
 * The tick clock must be the frames' clock: SocketCAN's kernel timestamps are wall-clock (epoch) nanoseconds,
 * so {@link #epochClock()} in vgate; a test bus with its own clock passes that clock.
 * <p>
 * The same lock serves several receive threads: the daemon's bus pipelines (one thread per bus) decode their
 * frames themselves and hand each frame's samples to {@link #evaluate(String, long, int[], double[], int)},
 * one lock acquisition per frame, so one engine sees every bus.
 * <p>
 * The timer only ticks when no frame reached the engine since its previous run: while frames flow they carry
 * the time (and run the due timers) themselves, and a tick taken from the clock "now" would run ahead of the
 * frames still queued behind the receive thread, which then count as late. So on a quiet bus a deadline is met
 * at most two periods late.
 */
public final class TickingEvaluator implements FrameHandler, AutoCloseable {
    private FrameEvaluator evaluator; // guarded by this; replaced whole by a live rules update
    private final LongSupplier clockNanos;
    private final ScheduledFuture<?> ticks;
    private boolean fed; // a frame since the timer's last run; guarded by this

    public TickingEvaluator(FrameEvaluator evaluator, ScheduledExecutorService timer, Duration period, LongSupplier clockNanos) {
        this.evaluator = evaluator;
        this.clockNanos = clockNanos;
        long p = period.toNanos();
        if (p <= 0) throw new IllegalArgumentException("tick period must be positive, got " + period);
        this.ticks = timer.scheduleAtFixedRate(this::timerTick, p, p, TimeUnit.NANOSECONDS);
    }

    /** Wall-clock nanoseconds since the epoch, the clock of SocketCAN's kernel receive timestamps. */
    public static LongSupplier epochClock() {
        return () -> {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    @Override public synchronized void onFrame(CanFrame frame) {
        fed = true;
        evaluator.onFrame(frame);
    }

    /** One frame's decoded samples (see {@link FrameEvaluator#evaluate(String, long, int[], double[], int)}). */
    public synchronized void evaluate(String iface, long timestampNanos, int[] signalIndex, double[] values, int n) {
        fed = true;
        evaluator.evaluate(iface, timestampNanos, signalIndex, values, n);
    }

    /** A frame without samples for the engine: bus activity (see {@link FrameEvaluator#frameSeen}). */
    public synchronized void frameSeen(long timestampNanos, String iface) {
        fed = true;
        evaluator.frameSeen(timestampNanos, iface);
    }

    private synchronized void timerTick() {
        if (fed) {
            fed = false; // the frames kept the time
            return;
        }
        tick();
    }

    /** One tick now, whether frames arrive or not (the timer's way; public for tests and for a shutdown flush). */
    public synchronized void tick() {
        try {
            evaluator.tick(clockNanos.getAsLong());
        } catch (RuntimeException e) {
            Logger.error(e, "rules tick failed"); // keep ticking: a scheduled task that throws is never run again
        }
    }

    public synchronized FrameEvaluator evaluator() { return evaluator; }

    /**
     * Swaps in another evaluator (a new rule set) between two frames: the frame or tick in progress finishes on
     * the old one, the next one runs on {@code next}. Returns the old one.
     */
    public synchronized FrameEvaluator replace(FrameEvaluator next) {
        FrameEvaluator old = evaluator;
        evaluator = java.util.Objects.requireNonNull(next);
        return old;
    }

    /**
     * Runs {@code read} under the evaluation lock: the engine's state and counters are written by the bus
     * threads and the tick, so a status reader takes the same lock (a long is not read atomically on 32-bit ARM).
     */
    public synchronized <T> T locked(java.util.function.Supplier<T> read) { return read.get(); }

    /** Stops the ticks (the timer itself belongs to the caller). */
    @Override public void close() {
        ticks.cancel(false);
    }
}
