package dev.vgate.agent.daemon;

import org.tinylog.Logger;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Loads SQLite's native library (sqlite-jdbc extracts it from the jar on every start) on a second core while
 * the main thread parses the DBC files and starts the MQTT link. On the 2-core development
 * machine that extraction and the first connection were about a third of the time from JVM start to the
 * first decoded frame, all of it on the critical path (docs/benchmarks.md, "Daemon").
 * Failures are only logged at debug: the buffer's own open reports them properly.
 */
public final class StartupWarmup {
    private StartupWarmup() {}

    public static void start() {
        Thread t = new Thread(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                c.createStatement().close();
            } catch (Throwable e) {
                Logger.debug("start-up warm-up of SQLite failed: {}", e.toString());
            }
        }, "startup-warmup");
        t.setDaemon(true);
        t.start();
    }
}
