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
 */
public final class TickingEvaluator implements FrameHandler, AutoCloseable {
    private final FrameEvaluator evaluator;
    private final LongSupplier clockNanos;
    private final ScheduledFuture<?> ticks;

    public TickingEvaluator(FrameEvaluator evaluator, ScheduledExecutorService timer, Duration period, LongSupplier clockNanos) {
        this.evaluator = evaluator;
        this.clockNanos = clockNanos;
        long p = period.toNanos();
        if (p <= 0) throw new IllegalArgumentException("tick period must be positive, got " + period);
        this.ticks = timer.scheduleAtFixedRate(this::tick, p, p, TimeUnit.NANOSECONDS);
    }

    /** Wall-clock nanoseconds since the epoch, the clock of SocketCAN's kernel receive timestamps. */
    public static LongSupplier epochClock() {
        return () -> {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    @Override public synchronized void onFrame(CanFrame frame) {
        evaluator.onFrame(frame);
    }

    /** One tick now (the timer calls it; public for tests and for a shutdown flush). */
    public synchronized void tick() {
        try {
            evaluator.tick(clockNanos.getAsLong());
        } catch (RuntimeException e) {
            Logger.error(e, "rules tick failed"); // keep ticking: a scheduled task that throws is never run again
        }
    }

    public FrameEvaluator evaluator() { return evaluator; }

    /** Stops the ticks (the timer itself belongs to the caller). */
    @Override public void close() {
        ticks.cancel(false);
    }
}
