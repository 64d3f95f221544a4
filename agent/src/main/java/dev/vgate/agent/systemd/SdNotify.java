package dev.vgate.agent.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The systemd notification protocol (sd_notify(3)) for a {@code Type=notify} service. Obtain it with
 * {@link #fromEnvironment()}: when the process was not started by systemd (NOTIFY_SOCKET unset) it is
 * {@link #DISABLED}, a null object, so callers never check. Sending never throws: a failed notification
 * is logged, and systemd's own start timeout or watchdog then acts on it.
 */
public interface SdNotify extends AutoCloseable {
    /** A service manager that is not listening: every call does nothing. */
    SdNotify DISABLED = new SdNotify() {
        @Override public void ready(String status) {}
        @Override public void watchdog() {}
        @Override public void stopping(String status) {}
        @Override public void status(String status) {}
        @Override public void extendTimeout(Duration extra) {}
        @Override public Optional<Duration> watchdogInterval() {
            return Optional.empty();
        }
        @Override public boolean enabled() {
            return false;
        }
        @Override public void close() {}
        @Override public String toString() {
            return "sd_notify disabled (NOTIFY_SOCKET is not set)";
        }
    };

    /** {@code READY=1}: start-up finished; systemd starts ordering dependants after this. */
    void ready(String status);

    default void ready() {
        ready(null);
    }

    /** {@code WATCHDOG=1}: the service is alive. Send at least every {@link #watchdogInterval()} / 2. */
    void watchdog();

    /** {@code STOPPING=1}: shutdown has begun. */
    void stopping(String status);

    default void stopping() {
        stopping(null);
    }

    /** {@code STATUS=...}: one line shown by {@code systemctl status}. */
    void status(String status);

    /** {@code EXTEND_TIMEOUT_USEC=...}: a slow step (e.g. recovering the telemetry store) needs more time. */
    void extendTimeout(Duration extra);

    /** WatchdogSec= of the unit, when the watchdog is on for this process. */
    Optional<Duration> watchdogInterval();

    /** Whether notifications go anywhere. */
    boolean enabled();

    @Override void close();

    /** From this process's environment (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID). */
    static SdNotify fromEnvironment() throws SystemdException {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * From the given environment, as seen by process {@code pid}.
     *
     * @throws SystemdException when NOTIFY_SOCKET is set but unusable: a Type=notify service that cannot
     *                          notify would only be killed at its start timeout, so say why now
     */
    static SdNotify fromEnvironment(Map<String, String> env, long pid) throws SystemdException {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) return DISABLED;
        return new SocketNotify(new UnixDatagramTransport(socket), WatchdogEnv.interval(env, pid));
    }
}
