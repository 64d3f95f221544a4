package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.daemon.VgateDaemon;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vgate run --config FILE}: the daemon. Runs until SIGTERM/SIGINT, then stops intake, commits the
 * telemetry buffer's open window, closes the MQTT session and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the vgate daemon.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "Configuration file (default ${DEFAULT-VALUE}).",
            defaultValue = "/etc/vgate/vgate.yaml")
    Path config;

    @Override public Integer call() throws Exception {
        VgateConfig cfg = ConfigLoader.load(config);
        cfg.describe().forEach(line -> Logger.info("config: {}", line));
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
        Logger.info("vgate running");
        stopRequested.await();
        daemon.stop();
        return 0;
    }
}
