package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.daemon.VgateDaemon;
import dev.vgate.agent.systemd.SdNotify;
import dev.vgate.agent.systemd.WatchdogPinger;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code vgate run --config FILE}: the daemon. Tells systemd READY=1 once every part has had its first start,
 * pings the watchdog from its main loop while the daemon answers, and on SIGTERM/SIGINT says STOPPING=1,
 * stops intake, commits the telemetry buffer's open window, closes the MQTT session and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the vgate daemon.")
public final class RunCommand implements Callable<Integer> {
    /** How long the daemon may take to answer a liveness check before the watchdog is no longer pinged. */
    private static final Duration LIVENESS_BOUND = Duration.ofSeconds(5);

    @Option(names = {"-c", "--config"}, description = "Configuration file (default ${DEFAULT-VALUE}).",
            defaultValue = "/etc/vgate/vgate.yaml")
    Path config;

    @Override public Integer call() throws Exception {
        VgateConfig cfg = ConfigLoader.load(config);
        applyLogLevel(cfg);
        // after the log level (sqlite-jdbc may log, which starts the logging), before the DBCs are parsed
        dev.vgate.agent.daemon.StartupWarmup.start();
        cfg.describe().forEach(line -> Logger.info("config: {}", line));
        SdNotify notify = SdNotify.fromEnvironment();
        WatchdogPinger pinger = WatchdogPinger.of(notify);
        VgateDaemon daemon = new VgateDaemon(cfg);
        CountDownLatch stopRequested = new CountDownLatch(1);
        // SIGTERM is the normal way systemd stops us: handle it ourselves so the orderly stop runs on this
        // thread and the process exits 0 (a JVM killed through its shutdown hooks exits 143).
        for (String sig : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                Logger.info("SIG{} received", sig);
                stopRequested.countDown();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::stop, "shutdown")); // any other exit path
        daemon.start();
        notify.ready("running, " + cfg.buses().size() + " bus(es)");
        Logger.info("vgate running (systemd notify: {}, watchdog: {})", notify.enabled() ? "on" : "off",
                pinger.pingPeriod().map(d -> "every " + d.toMillis() + " ms").orElse("off"));
        long turnMs = pinger.pingPeriod().map(d -> Math.max(10, d.toMillis() / 4)).orElse(1000L);
        while (!stopRequested.await(turnMs, TimeUnit.MILLISECONDS)) {
            // one turn of the main loop: ping only while the daemon still answers (a hung daemon gets restarted)
            if (daemon.alive(LIVENESS_BOUND)) pinger.kick();
            else Logger.error("the daemon did not answer within {} ms: not pinging the watchdog", LIVENESS_BOUND.toMillis());
        }
        notify.stopping("stopping");
        daemon.stop();
        notify.close();
        return 0;
    }

    /** logging.level, unless -Dtinylog.writer.level overrides it; must run before the first log line. */
    private static void applyLogLevel(VgateConfig cfg) {
        if (System.getProperty("tinylog.writer.level") != null) return;
        try {
            org.tinylog.configuration.Configuration.set("writer.level", cfg.logging().level().tinylogName());
        } catch (UnsupportedOperationException e) {
            Logger.warn("logging.level {} not applied: logging had already started", cfg.logging().level().tinylogName());
        }
    }
}
