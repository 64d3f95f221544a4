package dev.vgate.buffer;

/**
 * The one background daemon thread of a component (the group committer, the uploader): started once,
 * stopped by clearing {@link #running()}, interrupting it and waiting a bounded time for it to end.
 * Both are idempotent, and it can be started again after a stop.
 */
public final class DaemonThread {
    private final String name;
    private Thread thread;
    private volatile boolean running;

    public DaemonThread(String name) { this.name = name; }

    /** Runs {@code loop} on a new daemon thread, unless one is already running; the loop ends when {@link #running()} turns false or on interrupt. */
    public synchronized void start(Runnable loop) {
        if (thread != null) return;
        running = true;
        thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** True from {@link #start} until {@link #stop}. */
    public boolean running() { return running; }

    /** Clears {@link #running()}, interrupts the thread and waits up to {@code timeoutMs} for it to end; the caller's own interrupt is kept. */
    public void stop(long timeoutMs) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t == null) return;
        t.interrupt();
        try {
            t.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
