package dev.vgate.canbus;

import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Linux SocketCAN interface through javacan: a RAW socket with CAN FD, kernel id filters, kernel
 * receive timestamps, a sized receive buffer and kernel drop counting (SO_RXQ_OVFL).
 *
 * <p>Link problems never end the channel: when the interface goes down or disappears the receive thread
 * reports it ({@link CanEvent.Type#LINK_DOWN}, {@link CanEvent.Type#LINK_REMOVED}), closes the socket,
 * waits with backoff until an interface of that name is up again, opens a new socket and reports
 * {@link CanEvent.Type#REOPENED}. Sending meanwhile fails with a {@link CanException}.
 */
public final class SocketCanChannel implements CanChannel {
    private static final int IFF_UP = 0x1;

    private final String iface;
    private final SocketCanConfig config;
    private final CanCounters counters;
    private final Sleeper sleeper;
    private final Object sendLock = new Object();
    private volatile RawSocket socket;
    private volatile boolean running;
    private volatile boolean closed;
    private Thread thread;

    private SocketCanChannel(String iface, SocketCanConfig config, RawSocket socket, Sleeper sleeper) {
        this.iface = iface;
        this.config = config;
        this.socket = socket;
        this.sleeper = sleeper;
        this.counters = new CanCounters(iface);
    }

    /**
     * Opens the interface now, so that a missing interface or a kernel without SocketCAN is reported
     * here rather than on the receive thread.
     */
    public static SocketCanChannel open(String iface, SocketCanConfig config) throws CanException {
        return open(iface, config, Sleeper.SYSTEM);
    }

    static SocketCanChannel open(String iface, SocketCanConfig config, Sleeper sleeper) throws CanException {
        if (iface == null || iface.isEmpty() || iface.length() > 15 || iface.contains("/")) {
            throw new CanException("invalid interface name '" + iface + "' (1-15 characters, no '/')");
        }
        RawSocket s = RawSocket.open(iface, config);
        Logger.info("{}: open ({}, receive buffer {} bytes, kernel drop counting {})", iface, config.filter(),
                s.effectiveReceiveBuffer() / 2, s.dropCounting() ? "on" : "unavailable");
        return new SocketCanChannel(iface, config, s, sleeper);
    }

    @Override public String name() { return iface; }

    @Override public CanCounters counters() { return counters; }

    @Override public synchronized void start(FrameHandler handler, CanEventListener listener) throws CanException {
        if (closed) throw new CanException(iface + ": channel is closed");
        if (thread != null) throw new CanException(iface + ": channel already started");
        running = true;
        thread = new Thread(() -> receiveLoop(handler, listener), "can-rx-" + iface);
        thread.setDaemon(true);
        thread.start();
    }

    @Override public void send(CanFrame frame) throws CanException {
        RawSocket s = socket;
        if (s == null) throw new CanException(iface + ": cannot send, the interface is down or gone (reopening)");
        synchronized (sendLock) {
            try {
                s.send(frame);
            } catch (IOException e) {
                throw new CanException(iface + ": send failed: " + RawSocket.reason(e), e);
            }
        }
        counters.addOut();
    }

    private void receiveLoop(FrameHandler handler, CanEventListener listener) {
        CanFrame frame = new CanFrame();
        while (running) {
            RawSocket s = socket;
            if (s == null) {
                reopen(listener);
                continue;
            }
            try {
                if (!s.receive(frame)) continue;
                long dropped = s.newDrops();
                if (dropped > 0) {
                    counters.addDrops(dropped);
                    emit(listener, new CanEvent(iface, CanEvent.Type.DROPS, dropped, "kernel receive queue overflowed (total " + counters.drops() + ")"));
                }
                if (frame.isError()) {
                    counters.addError();
                    for (CanEvent e : ErrorFrames.decode(frame)) emit(listener, e);
                    continue;
                }
                // the kernel filters; Java only has to when there were more ids than kernel filter slots
                if (!config.filter().acceptsAll() && !config.filter().accepts(frame)) continue;
                counters.addIn();
                try {
                    handler.onFrame(frame);
                } catch (RuntimeException e) {
                    Logger.error(e, "{}: frame handler failed on {}", iface, frame);
                }
            } catch (IOException e) {
                if (!running) break;
                int errno = RawSocket.errno(e);
                CanEvent.Type type = errno == RawSocket.ENETDOWN ? CanEvent.Type.LINK_DOWN
                        : errno == RawSocket.ENODEV || errno == RawSocket.ENXIO ? CanEvent.Type.LINK_REMOVED
                        : CanEvent.Type.RECEIVE_FAILED;
                emit(listener, CanEvent.of(iface, type, RawSocket.reason(e)));
                dropSocket();
            } catch (RuntimeException e) {
                if (!running) break;
                emit(listener, CanEvent.of(iface, CanEvent.Type.RECEIVE_FAILED, String.valueOf(e)));
                Logger.error(e, "{}: receive failed", iface);
                dropSocket();
            }
        }
    }

    /** Waits, doubling the wait, until the interface is up and a new socket opens. */
    private void reopen(CanEventListener listener) {
        long wait = config.reopenMin().toNanos();
        long max = config.reopenMax().toNanos();
        long startedNanos = System.nanoTime();
        String lastProblem = "";
        while (running) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!running) return;
            wait = Math.min(max, wait * 2);
            if (!isUp(iface)) { lastProblem = "interface down or absent"; continue; }
            try {
                RawSocket s = RawSocket.open(iface, config);
                synchronized (sendLock) { socket = s; }
                if (!running) { dropSocket(); return; }
                long ms = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
                emit(listener, CanEvent.of(iface, CanEvent.Type.REOPENED, "receiving again after " + ms + " ms"));
                return;
            } catch (CanException e) {
                if (!e.getMessage().equals(lastProblem)) Logger.debug("{}: reopen failed: {}", iface, e.getMessage());
                lastProblem = e.getMessage();
            }
        }
    }

    /** Whether the interface exists and is administratively up (sysfs flags, IFF_UP). */
    static boolean isUp(String iface) {
        try {
            String flags = Files.readString(Path.of("/sys/class/net", iface, "flags")).trim();
            return (Integer.decode(flags) & IFF_UP) != 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private void dropSocket() {
        RawSocket s;
        synchronized (sendLock) {
            s = socket;
            socket = null;
        }
        if (s != null) s.close();
    }

    private void emit(CanEventListener listener, CanEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            Logger.error(ex, "{}: event listener failed on {}", iface, e);
        }
    }

    @Override public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            running = false;
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            // the receive times out every 200 ms and sees running == false; a reopen wait is interrupted
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) Logger.warn("{}: receive thread did not stop within 2 s", iface);
        }
        dropSocket();
        Logger.debug("{}: closed ({})", iface, counters);
    }
}
