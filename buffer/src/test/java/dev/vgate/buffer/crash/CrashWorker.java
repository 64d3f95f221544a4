package dev.vgate.buffer.crash;

import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.testing.FakeSignal;
import dev.vgate.buffer.upload.Uploader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process the crash test kills: ingests synthetic samples (raw = a unique id) and uploads them. It prints
 * {@code C <id>} after each group commit returns (every sample below id is durable) and {@code A <id>} after
 * an alert was committed (acknowledged to the caller). Args: db-file broker-url first-id.
 */
public final class CrashWorker {
    static final int SIGNALS = 8;
    /** Signal 7 carries alerts (one sample in 97). */
    static final String POLICY = "version: 1\nrules:\n  - {match: 'S7', mode: every, priority: alert}\n  - {match: 'S6', mode: every, priority: bulk}\n";

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        // the test never writes to our stdin: end of stdin means the test JVM is gone, so do not outlive it
        Thread orphanGuard = new Thread(() -> {
            try {
                while (System.in.read() >= 0) { }
            } catch (java.io.IOException ignored) {
                // parent gone as well
            }
            Runtime.getRuntime().halt(3);
        }, "orphan-guard");
        orphanGuard.setDaemon(true);
        orphanGuard.start();
        Path db = Path.of(args[0]);
        long id = Long.parseLong(args[2]);
        List<FakeSignal> signals = new ArrayList<>();
        for (int i = 0; i < SIGNALS; i++) signals.add(FakeSignal.integer(i, "CRASH", 0x100 + i, "S" + i, 1, 0));
        SqliteTelemetryStore store = SqliteTelemetryStore.open(db, 0);
        PahoMqttLink link = new PahoMqttLink(MqttSettings.of(args[1], "crash-worker").withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))).start();
        UploaderConfig cfg = UploaderConfig.defaults("crash").withBatchInterval(100).withMaxBatchSamples(5000).withDrainRate(0).withBackoff(50, 200);
        Uploader uploader = new Uploader(store, link, cfg, Clock.systemUTC(), new SplittableRandom());
        GroupCommitter committer = new GroupCommitter(store, uploader);
        BusCollector bus = new Collector(committer, PolicyLoader.parse(POLICY, "crash-policy"), Clock.systemUTC()).forBus("can0", signals);
        uploader.start(10);
        link.awaitConnected(Duration.ofSeconds(10));
        out.println("READY");
        out.flush();
        long nextCommit = System.nanoTime() + 50_000_000L;
        long exitAt = args.length > 3 ? System.nanoTime() + Long.parseLong(args[3]) * 1_000_000L : Long.MAX_VALUE;
        while (System.nanoTime() < exitAt) {
            for (int i = 0; i < 200; i++, id++) {
                int s = (int) (id % 97 == 0 ? 7 : id % 7);
                bus.sample(signals.get(s), id, id, id * 10);
                if (s == 7) {
                    out.println("A " + id);
                    out.flush();
                }
            }
            if (System.nanoTime() >= nextCommit) {
                committer.commit();
                out.println("C " + id);
                out.flush();
                nextCommit = System.nanoTime() + 50_000_000L;
            }
            Thread.sleep(2);
        }
        // a timed run (4th argument, for trying the worker by hand): stop cleanly
        committer.close();
        uploader.close();
        link.close();
        store.close();
        System.exit(0);
    }
}
