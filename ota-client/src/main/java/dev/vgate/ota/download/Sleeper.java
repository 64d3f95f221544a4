package dev.vgate.ota.download;

/** Waits; injected so tests of backoff and bandwidth caps do not sleep for real. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = millis -> { if (millis > 0) Thread.sleep(millis); };

    void sleep(long millis) throws InterruptedException;
}
