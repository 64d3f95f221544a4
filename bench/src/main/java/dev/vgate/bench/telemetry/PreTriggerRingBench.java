package dev.vgate.bench.telemetry;

import dev.vgate.buffer.collect.AlertListener;
import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.Signal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pre-trigger ring of event capture (docs/telemetry.md#event-capture): {@code sample} is one decoded demo-DBC
 * sample through a bus collector whose policy keeps nothing (so the ring write is what is measured), with a ring
 * of {@code ring} samples or none. The setup measures the ring's heap: used heap after a full GC with 16 bus
 * collectors holding rings, minus the same without, divided by 16 (printed as "ring heap bytes"); run with
 * {@code -prof gc} for the allocation per sample.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PreTriggerRingBench {
    @Param({"0", "32768"}) public int ring;

    private Path dir;
    private SqliteTelemetryStore store;
    private BusCollector bus;
    private Signal[] signals;
    private int next;
    private long t = 1_700_000_000_000_000L;

    @Setup(Level.Trial) public void setUp() throws Exception {
        dir = Files.createTempDirectory("vgate-ring-bench");
        store = SqliteTelemetryStore.open(dir.resolve("t.db"), 0);
        DbcDatabase db = DemoDbc.load();
        signals = db.signals().toArray(new Signal[0]);
        Collector collector = new Collector(new GroupCommitter(store, AlertListener.NONE),
                PolicyLoader.parse("version: 1\ndefault: {mode: off}\npre_trigger_samples: " + ring + "\n", "bench"), Clock.systemUTC());
        bus = collector.forBus("can0", db);
        long base = usedAfterGc();
        List<BusCollector> held = new ArrayList<>();
        for (int k = 0; k < 16; k++) held.add(collector.forBus("can" + k, db));
        long per = (usedAfterGc() - base) / 16;
        System.out.println("ring " + ring + " samples: ring heap bytes per bus collector " + per + " (ringBytes() " + bus.ringBytes() + ", " + held.size() + " measured)");
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int k = 0; k < 3; k++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @TearDown(Level.Trial) public void tearDown() throws Exception {
        store.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark public void sample() {
        Signal s = signals[next];
        if (++next == signals.length) next = 0;
        t += 100;
        bus.sample(s, 42, 4.2, t);
    }
}
