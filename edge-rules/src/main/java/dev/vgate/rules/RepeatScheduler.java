package dev.vgate.rules;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the repeats of a CAN action later (the first frame is sent on the evaluating thread). */
@FunctionalInterface
public interface RepeatScheduler {
    void schedule(Runnable task, long delayNanos);

    static RepeatScheduler of(ScheduledExecutorService executor) {
        return (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
