package dev.vgate.agent.systemd;

import org.tinylog.Logger;

import java.time.Duration;
import java.util.Optional;

/** {@link SdNotify} over a transport to NOTIFY_SOCKET. Thread-safe: each call is one datagram. */
final class SocketNotify implements SdNotify {
    private final NotifyTransport transport;
    private final Optional<Duration> watchdogInterval;
    /** Log a failing socket once, not at every watchdog ping; log again when it recovers. */
    private volatile boolean failing;

    SocketNotify(NotifyTransport transport, Optional<Duration> watchdogInterval) {
        this.transport = transport;
        this.watchdogInterval = watchdogInterval;
    }

    @Override public void ready(String status) {
        send(withStatus("READY=1", status));
    }

    @Override public void watchdog() {
        send("WATCHDOG=1");
    }

    @Override public void stopping(String status) {
        send(withStatus("STOPPING=1", status));
    }

    @Override public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    @Override public void extendTimeout(Duration extra) {
        send("EXTEND_TIMEOUT_USEC=" + Math.max(1, extra.toNanos() / 1000));
    }

    @Override public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    @Override public boolean enabled() {
        return true;
    }

    @Override public void close() {
        transport.close();
    }

    private void send(String message) {
        try {
            transport.send(message);
            if (failing) {
                failing = false;
                Logger.info("systemd notifications work again ({})", transport);
            }
        } catch (SystemdException e) {
            if (!failing) {
                failing = true;
                Logger.error("cannot notify systemd ({}): {}", message.replace('\n', ' '), e.getMessage());
            }
        }
    }

    private static String withStatus(String message, String status) {
        return status == null ? message : message + "\nSTATUS=" + oneLine(status);
    }

    /** The protocol is one assignment per line: a newline in a status would start a new (bogus) assignment. */
    static String oneLine(String status) {
        return status == null ? "" : status.replaceAll("[\\r\\n]+", " ");
    }

    @Override public String toString() {
        return "sd_notify via " + transport + watchdogInterval.map(d -> ", watchdog " + d.toMillis() + " ms").orElse("");
    }
}
