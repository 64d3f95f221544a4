package dev.vgate.mqtt;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One set of threads for many {@link PahoMqttLink}s in a JVM (the fleet simulator runs thousands). Paho
 * hands its per-connection loops (receiver, sender, callback: each blocks for the connection's lifetime) to
 * {@link #execute}, which runs them on a cached pool of small-stack threads; its keep-alive pings and the
 * links' reconnect timers are scheduled on a few shared scheduler threads instead of a timer thread each.
 */
public final class SharedPahoExecutor extends ScheduledThreadPoolExecutor {
    private final ExecutorService loops;

    /** {@code schedulerThreads} for timers; loop threads are created as connections need them, with {@code stackBytes} stacks. */
    public SharedPahoExecutor(int schedulerThreads, long stackBytes) {
        super(schedulerThreads, daemons("mqtt-shared-timer", 0));
        this.loops = Executors.newCachedThreadPool(daemons("mqtt-shared-loop", stackBytes));
        setRemoveOnCancelPolicy(true);
    }

    @Override public void execute(Runnable command) { loops.execute(command); }

    // Paho starts its loops with submit(): they must not occupy the few scheduler threads
    @Override public java.util.concurrent.Future<?> submit(Runnable task) { return loops.submit(task); }

    @Override public <T> java.util.concurrent.Future<T> submit(Runnable task, T result) { return loops.submit(task, result); }

    @Override public <T> java.util.concurrent.Future<T> submit(java.util.concurrent.Callable<T> task) { return loops.submit(task); }

    /** An executor that runs its tasks one at a time, in submission order, on the shared loop threads. */
    public Executor serial() {
        return new Executor() {
            private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
            private boolean running;

            @Override public void execute(Runnable r) {
                synchronized (this) {
                    queue.add(r);
                    if (running) return;
                    running = true;
                }
                loops.execute(this::drain);
            }

            private void drain() {
                while (true) {
                    Runnable next;
                    synchronized (this) {
                        next = queue.poll();
                        if (next == null) {
                            running = false;
                            return;
                        }
                    }
                    next.run();
                }
            }
        };
    }

    @Override public void shutdown() {
        super.shutdown();
        loops.shutdown();
    }

    @Override public java.util.List<Runnable> shutdownNow() {
        loops.shutdownNow();
        return super.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemons(String name, long stackBytes) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), stackBytes);
            t.setDaemon(true);
            return t;
        };
    }
}
