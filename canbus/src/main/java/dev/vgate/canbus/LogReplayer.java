package dev.vgate.canbus;

import org.tinylog.Logger;

import java.util.function.LongSupplier;

/**
 * Sends the frames of a candump log onto a channel, either at the pace they were recorded (optionally
 * sped up) or as fast as the channel takes them. Time comes from an injectable clock and sleeper, so
 * pacing is testable without waiting.
 */
public final class LogReplayer {

    /** What a replay did. */
    public record Result(long framesSent, long errorFramesSkipped, long otherInterfacesSkipped, long badLines, long logSpanNanos) {}

    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    public LogReplayer() { this(System::nanoTime, Sleeper.SYSTEM); }

    public LogReplayer(LongSupplier nanoTime, Sleeper sleeper) {
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** As fast as possible. */
    public Result replayFast(CandumpReader log, CanChannel out, String onlyIface) throws CanException, InterruptedException {
        return replay(log, out, onlyIface, 0);
    }

    /**
     * Replays the log.
     *
     * @param onlyIface replay only this interface's frames from the log, or null for all
     * @param speed 1 = recorded pace, 2 = twice as fast, ...; 0 = as fast as possible
     * @throws CanException when the log cannot be read or the channel refuses a frame (with the log line)
     */
    public Result replay(CandumpReader log, CanChannel out, String onlyIface, double speed) throws CanException, InterruptedException {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) throw new IllegalArgumentException("speed must be >= 0, got " + speed);
        CanFrame f = new CanFrame();
        long sent = 0, errors = 0, others = 0;
        long firstTs = 0, lastTs = 0;
        long startNanos = 0;
        boolean first = true;
        while (log.next(f)) {
            if (onlyIface != null && !onlyIface.equals(f.iface())) { others++; continue; }
            if (f.isError()) { errors++; continue; }
            if (first) {
                first = false;
                firstTs = f.timestampNanos();
                startNanos = nanoTime.getAsLong();
            } else if (speed > 0) {
                long due = startNanos + (long) ((f.timestampNanos() - firstTs) / speed);
                long wait = due - nanoTime.getAsLong();
                if (wait > 0) sleeper.sleepNanos(wait);
            }
            lastTs = Math.max(lastTs, f.timestampNanos());
            try {
                out.send(f);
            } catch (CanException e) {
                throw new CanException(log.source() + ":" + log.lines() + ": replay stopped after " + sent + " frames: " + e.getMessage(), e);
            }
            sent++;
        }
        Result r = new Result(sent, errors, others, log.badLines(), first ? 0 : lastTs - firstTs);
        Logger.debug("replayed {} onto {}: {}", log.source(), out.name(), r);
        return r;
    }
}
