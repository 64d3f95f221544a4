package dev.vgate.agent.systemd;

import org.tinylog.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Reads the watchdog settings systemd passes in the environment (sd_watchdog_enabled(3)). */
final class WatchdogEnv {
    private WatchdogEnv() {}

    /**
     * WATCHDOG_USEC as a duration, when it is set, valid and meant for {@code pid} (WATCHDOG_PID, when
     * present, names the process that must ping; a child that inherited the variables must not).
     */
    static Optional<Duration> interval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) return Optional.empty();
        String watchdogPid = env.get("WATCHDOG_PID");
        if (watchdogPid != null && !watchdogPid.isEmpty()) {
            try {
                if (Long.parseLong(watchdogPid.trim()) != pid) return Optional.empty();
            } catch (NumberFormatException e) {
                Logger.warn("ignoring the systemd watchdog: WATCHDOG_PID is not a number: '{}'", watchdogPid);
                return Optional.empty();
            }
        }
        try {
            long micros = Long.parseLong(usec.trim());
            if (micros <= 0) throw new NumberFormatException("not positive");
            return Optional.of(Duration.ofNanos(Math.multiplyExact(micros, 1000L)));
        } catch (NumberFormatException | ArithmeticException e) {
            Logger.warn("ignoring the systemd watchdog: WATCHDOG_USEC is not a positive number: '{}'", usec);
            return Optional.empty();
        }
    }
}
