package dev.vgate.canbus;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-interface counters, safe to read from any thread: frames received and sent, error frames, and
 * frames lost (by the kernel, reported through SO_RXQ_OVFL, or by a full virtual-bus queue).
 */
public final class CanCounters {
    private final String iface;
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();

    public CanCounters(String iface) { this.iface = iface; }

    public String iface() { return iface; }
    public long framesIn() { return framesIn.get(); }
    public long framesOut() { return framesOut.get(); }
    public long errors() { return errors.get(); }
    public long drops() { return drops.get(); }

    void addIn() { framesIn.lazySet(framesIn.get() + 1); } // single writer: the receive thread
    void addOut() { framesOut.incrementAndGet(); }
    void addError() { errors.incrementAndGet(); }
    void addDrops(long n) { drops.addAndGet(n); }

    @Override public String toString() {
        return iface + ": in=" + framesIn() + " out=" + framesOut() + " errors=" + errors() + " drops=" + drops();
    }
}
