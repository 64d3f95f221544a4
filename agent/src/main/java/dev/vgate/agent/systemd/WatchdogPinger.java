package dev.vgate.agent.systemd;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Sends WATCHDOG=1 from the daemon's main loop, at most once per half watchdog interval (systemd's
 * recommendation). The main loop calls {@link #kick()} on every turn it completes healthy; a loop that
 * hangs stops kicking, and systemd restarts the service. Pinging from a timer thread instead would keep a
 * hung daemon "alive". Single-threaded: call from the main loop only.
 */
public final class WatchdogPinger {
    private final SdNotify notify;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private long lastPing;
    private boolean pinged;

    WatchdogPinger(SdNotify notify, Duration interval, LongSupplier nanoTime) {
        this.notify = notify;
        this.periodNanos = interval == null ? -1 : interval.toNanos() / 2;
        this.nanoTime = nanoTime;
    }

    /** A pinger for the notifier's watchdog interval; it never pings when the watchdog is off. */
    public static WatchdogPinger of(SdNotify notify) {
        return of(notify, System::nanoTime);
    }

    static WatchdogPinger of(SdNotify notify, LongSupplier nanoTime) {
        return new WatchdogPinger(notify, notify.watchdogInterval().orElse(null), nanoTime);
    }

    /** How often the main loop must call {@link #kick()} at least (empty: the watchdog is off). */
    public Optional<Duration> pingPeriod() {
        return periodNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(periodNanos));
    }

    /** Pings when half the interval has passed since the last ping; returns whether it pinged. */
    public boolean kick() {
        if (periodNanos < 0) return false;
        long now = nanoTime.getAsLong();
        if (pinged && now - lastPing < periodNanos) return false;
        notify.watchdog();
        lastPing = now;
        pinged = true;
        return true;
    }
}
