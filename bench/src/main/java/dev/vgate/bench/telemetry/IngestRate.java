package dev.vgate.bench.telemetry;

import dev.vgate.buffer.collect.AlertListener;
import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.Signal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Durable ingest rate: the real Kona P-CAN samples (decoded once up front) replayed in a loop, time-shifted,
 * through the collector (every-sample policy) into the SQLite buffer with group commit every 1 s
 * (synchronous=FULL). Reports samples made durable per second and the process's peak RSS (VmHWM). Run:
 * {@code java -Xmx256m -cp bench/target/benchmarks.jar dev.vgate.bench.telemetry.IngestRate ../shared/data 20}
 */
public final class IngestRate {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        DbcDatabase pcan = DbcDatabase.load(data.resolve("dbc/cantools-compat/kona_pcan.cantools-compat.dbc"));
        Recording r = new Recording("k19-can0", data.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log"),
                new BusDatabases().put("can0", pcan), "can0");
        List<Recording.Sample> samples = r.samples;
        int n = samples.size();
        Signal[] sig = new Signal[n];
        long[] t = new long[n], raw = new long[n];
        double[] val = new double[n];
        for (int i = 0; i < n; i++) {
            Recording.Sample s = samples.get(i);
            sig[i] = s.signal();
            t[i] = s.tUs();
            raw[i] = s.raw();
            val[i] = s.value();
        }
        long span = t[n - 1] - t[0] + 1000;
        Path dir = Files.createTempDirectory("vgate-ingest");
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("ingest.db"), 0)) {
            GroupCommitter committer = new GroupCommitter(store, AlertListener.NONE);
            BusCollector bus = new Collector(committer, CollectionPolicy.everySample(), Clock.systemUTC()).forBus("can0", pcan);
            // warm-up: one pass, committed
            for (int i = 0; i < n; i++) bus.sample(sig[i], raw[i], val[i], t[i]);
            committer.commit();
            long base = committer.committedSamples();
            committer.start(1000);
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long ingested = 0;
            for (long loop = 1; System.nanoTime() < end; loop++) {
                long shift = loop * span;
                for (int i = 0; i < n; i++) bus.sample(sig[i], raw[i], val[i], t[i] + shift);
                ingested += n;
            }
            committer.close(); // stops the thread and commits the rest: everything ingested is now durable
            double secs = (System.nanoTime() - start) / 1e9;
            long durable = committer.committedSamples() - base;
            System.out.printf(Locale.ROOT, "ingested=%d durable=%d seconds=%.2f durable_samples_per_second=%.0f db_bytes=%d bytes_per_sample_on_disk=%.3f peak_rss_mb=%.1f%n",
                    ingested, durable, secs, durable / secs, Files.size(dir.resolve("ingest.db")),
                    (double) Files.size(dir.resolve("ingest.db")) / (durable + base), peakRssKb() / 1024.0);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
