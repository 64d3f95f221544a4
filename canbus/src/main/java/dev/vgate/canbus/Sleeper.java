package dev.vgate.canbus;

/** Waits; injectable so that pacing and backoff can be tested without sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;

    Sleeper SYSTEM = nanos -> {
        if (nanos > 0) Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    };
}
