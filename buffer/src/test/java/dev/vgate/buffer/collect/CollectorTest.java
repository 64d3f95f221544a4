package dev.vgate.buffer.collect;

import dev.vgate.buffer.SettableClock;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.buffer.testing.FakeSignal;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.Priority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CollectorTest {
    @TempDir Path dir;
    SqliteTelemetryStore store;
    GroupCommitter committer;
    Collector collector;
    long downsampled;
    final FakeSignal sig = FakeSignal.integer(0, "M", 0x10, "S", 1, 0);

    @BeforeEach void setUp() throws Exception {
        store = SqliteTelemetryStore.open(dir.resolve("c.db"), 0);
        committer = new GroupCommitter(store, AlertListener.NONE);
    }

    @AfterEach void tearDown() { store.close(); }

    private List<long[]> kept(String rule, long[][] samples) throws Exception {
        collector = new Collector(committer, PolicyLoader.parse("version: 1\nrules:\n  - " + rule + "\n", "t"), new SettableClock(0));
        BusCollector bus = collector.forBus("can0", List.of(sig));
        for (long[] s : samples) bus.sample(sig, s[1], s[1], s[0]);
        committer.commit();
        return drain();
    }

    private List<long[]> drain() throws Exception {
        List<long[]> out = new ArrayList<>();
        for (Priority p : Priority.values()) {
            BatchRecord b;
            while ((b = store.assignBatch(p, Integer.MAX_VALUE, 0)) != null) {
                downsampled += b.dataLoss().downsampled();
                for (StoredChunk c : b.chunks()) {
                    SampleColumn col = c.chunk().decode();
                    for (int i = 0; i < col.size(); i++) out.add(new long[] {col.timestamp(i), col.raw(i)});
                }
                store.acknowledge(b.sequence());
            }
        }
        return out;
    }

    private static long[][] ramp(int n, long periodUs, long... values) {
        long[][] s = new long[n][];
        for (int i = 0; i < n; i++) s[i] = new long[] {i * periodUs, values[i % values.length]};
        return s;
    }

    private static String ts(List<long[]> l) {
        StringBuilder sb = new StringBuilder();
        for (long[] x : l) sb.append(x[0] / 1000).append(':').append(x[1]).append(' ');
        return sb.toString().trim();
    }

    @Test void onChangeWithDeadbandKeepsOnlyMovesBeyondIt() throws Exception {
        long[][] s = {{0, 10}, {1000, 10}, {2000, 11}, {3000, 12}, {4000, 13}, {5000, 9}, {6000, 9}};
        assertEquals("0:10 3:12 5:9", ts(kept("{match: S, mode: on-change, deadband: 1.5}", s)));
        assertEquals(4, downsampled, "the dropped samples are counted and reported with the batch");
    }

    @Test void maxRateKeepsAtMostOnePerInterval() throws Exception {
        List<long[]> k = kept("{match: S, mode: max-rate, interval_ms: 25}", ramp(10, 10_000, 1, 2, 3));
        assertEquals("0:1 30:1 60:1 90:1", ts(k));
    }

    @Test void adaptiveBacksOffWhileStillAndResetsOnAMove() throws Exception {
        long[][] s = new long[60][];
        for (int i = 0; i < 60; i++) s[i] = new long[] {i * 100_000L, i < 40 ? 5 : 5 + (i - 39) * 10};
        List<long[]> k = kept("{match: S, mode: adaptive, deadband: 1, interval_ms: 100, max_interval_ms: 800}", s);
        // still: 0, then intervals 100, 200, 400, 800, 800 ...; moving (i >= 40): every sample
        assertEquals("0:5 100:5 300:5 700:5 1500:5 2300:5 3100:5 3900:5 4000:15 4100:25", ts(k).substring(0, ts(k).indexOf("4100:25") + 7));
        assertEquals(8 + 20, k.size());
    }

    @Test void offStoresNothingAndPolicySwapTakesEffectOnTheNextSample() throws Exception {
        collector = new Collector(committer, PolicyLoader.parse("version: 1\ndefault: {mode: off}\n", "off"), new SettableClock(0));
        BusCollector bus = collector.forBus("can0", List.of(sig));
        bus.sample(sig, 1, 1, 0);
        bus.sample(sig, 2, 2, 1000);
        collector.replacePolicy(PolicyLoader.parse("version: 1\ndefault: {mode: every, priority: bulk}\n", "every"));
        bus.sample(sig, 3, 3, 2000);
        committer.commit();
        assertEquals(1, store.stats().bulkSamples());
        assertEquals(0, store.stats().unreported().downsampled(), "off is not downsampling");
        assertEquals("2:3", ts(drain()));
    }
}
