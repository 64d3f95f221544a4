package dev.vgate.agent.systemd;

/** Delivers one notification datagram ({@code READY=1\nSTATUS=...}) to the service manager. */
interface NotifyTransport extends AutoCloseable {
    void send(String message) throws SystemdException;

    @Override void close();
}
