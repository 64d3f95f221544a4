package dev.vgate.canbus;

import org.tinylog.Logger;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An in-process CAN bus: every frame one channel sends reaches every other channel on the bus (not the
 * sender, as on SocketCAN), stamped with the bus clock. Each channel has a bounded receive queue and its
 * own receive thread; a full queue drops the frame and counts it, like a kernel socket buffer.
 * For unit tests and the demo.
 */
public final class VirtualBus {
    public static final int DEFAULT_QUEUE = 8192;

    private final String name;
    private final LongSupplier clockNanos;
    private final List<Node> nodes = new CopyOnWriteArrayList<>();

    /** A bus stamped with wall-clock time. */
    public VirtualBus(String name) {
        this(name, () -> System.currentTimeMillis() * 1_000_000L);
    }

    /** A bus whose frames are stamped by {@code clockNanos} (nanoseconds since the epoch). */
    public VirtualBus(String name, LongSupplier clockNanos) {
        this.name = name;
        this.clockNanos = clockNanos;
    }

    public String name() { return name; }

    /** The clock that stamps this bus's frames (nanoseconds since the epoch); a rule engine ticks on it. */
    public LongSupplier clockNanos() { return clockNanos; }

    /** A channel receiving every id. */
    public CanChannel newChannel() { return newChannel(CanIdFilter.ALL, DEFAULT_QUEUE); }

    public CanChannel newChannel(CanIdFilter filter, int queueCapacity) {
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        Node n = new Node(filter, queueCapacity);
        nodes.add(n);
        return n;
    }

    /** Puts a frame on the bus as if another node sent it: every channel receives it. */
    public void inject(CanFrame frame) { deliver(null, frame); }

    /** Reports an event to every started channel (to test how consumers handle bus-off, link loss, ...). */
    public void injectEvent(CanEvent.Type type, String detail) {
        for (Node n : nodes) n.events.offer(CanEvent.of(name, type, detail));
    }

    private void deliver(Node from, CanFrame frame) {
        long now = clockNanos.getAsLong();
        for (Node n : nodes) {
            if (n == from || n.closed || !n.filter.accepts(frame)) continue;
            CanFrame copy = frame.copy().timestampNanos(now).iface(name);
            if (!n.queue.offer(copy)) n.pendingDrops.incrementAndGet();
        }
    }

    private final class Node implements CanChannel {
        final CanIdFilter filter;
        final BlockingQueue<CanFrame> queue;
        final BlockingQueue<CanEvent> events = new ArrayBlockingQueue<>(64);
        final AtomicLong pendingDrops = new AtomicLong();
        final CanCounters counters = new CanCounters(name);
        volatile boolean closed;
        private Thread thread;

        Node(CanIdFilter filter, int capacity) {
            this.filter = filter;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        @Override public String name() { return name; }

        @Override public CanCounters counters() { return counters; }

        @Override public synchronized void start(FrameHandler handler, CanEventListener listener) throws CanException {
            if (closed) throw new CanException(name + ": channel is closed");
            if (thread != null) throw new CanException(name + ": channel already started");
            thread = new Thread(() -> loop(handler, listener), "vcan-rx-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void loop(FrameHandler handler, CanEventListener listener) {
            CanFrame frame = new CanFrame();
            while (!closed) {
                CanFrame next;
                try {
                    next = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                long dropped = pendingDrops.getAndSet(0);
                if (dropped > 0) {
                    counters.addDrops(dropped);
                    emit(listener, new CanEvent(name, CanEvent.Type.DROPS, dropped, "virtual bus queue full (total " + counters.drops() + ")"));
                }
                for (CanEvent e; (e = events.poll()) != null; ) emit(listener, e);
                if (next == null || closed) continue;
                frame.set(next);
                counters.addIn();
                try {
                    handler.onFrame(frame);
                } catch (RuntimeException e) {
                    Logger.error(e, "{}: frame handler failed on {}", name, frame);
                }
            }
        }

        private void emit(CanEventListener listener, CanEvent e) {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                Logger.error(ex, "{}: event listener failed on {}", name, e);
            }
        }

        @Override public void send(CanFrame frame) throws CanException {
            if (closed) throw new CanException(name + ": channel is closed");
            if (frame.isError()) throw new CanException(name + ": refusing to send an error frame (" + frame + ")");
            if (!frame.isFd() && frame.length() > CanFrame.MAX_CLASSIC_DATA) throw new CanException(name + ": " + frame.length() + " data bytes in a classic CAN frame (max 8)");
            if (frame.isFd() && !CandumpFormat.isFdLength(frame.length())) throw new CanException(name + ": " + frame.length() + " is not a CAN FD length");
            int max = frame.isExtended() ? CanIdFilter.EFF_MASK : CanIdFilter.SFF_MASK;
            if (frame.id() < 0 || frame.id() > max) throw new CanException(name + ": id " + Integer.toHexString(frame.id()) + " out of range");
            deliver(this, frame);
            counters.addOut();
        }

        @Override public void close() {
            Thread t;
            synchronized (this) {
                if (closed) return;
                closed = true;
                t = thread;
            }
            nodes.remove(this);
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
