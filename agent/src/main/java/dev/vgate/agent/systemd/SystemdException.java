package dev.vgate.agent.systemd;

/** Talking to the service manager failed (bad NOTIFY_SOCKET, socket error). */
public final class SystemdException extends Exception {
    private static final long serialVersionUID = 1L;

    public SystemdException(String message) {
        super(message);
    }

    public SystemdException(String message, Throwable cause) {
        super(message, cause);
    }
}
