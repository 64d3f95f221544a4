package dev.vgate.buffer.collect;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.SettableClock;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.policy.PolicyException;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.buffer.testing.FakeSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event capture: the pre-trigger ring, full rate whatever the policy, merging, the ring's bound; time is data (µs). */
class CaptureTest {
    @TempDir Path dir;
    SqliteTelemetryStore store;
    GroupCommitter committer;
    final FakeSignal sig = FakeSignal.integer(0, "M", 0x10, "S", 1, 0);
    final FakeSignal other = FakeSignal.integer(1, "M", 0x10, "Other", 1, 0);

    @BeforeEach void setUp() throws Exception {
        store = SqliteTelemetryStore.open(dir.resolve("c.db"), 0);
        committer = new GroupCommitter(store, AlertListener.NONE);
    }

    @AfterEach void tearDown() { store.close(); }

    /** 100 Hz of S and Other for 10 s (the policy keeps nothing), with triggers at the given ms. */
    private BusCollector run(String policyExtra, long[][] triggers) throws Exception {
        Collector c = new Collector(committer, PolicyLoader.parse("version: 1\ndefault: {mode: off}\ncaptures:\n  one: {signals: [S]}\n" + policyExtra, "t"),
                new SettableClock(0));
        BusCollector bus = c.forBus("can0", List.of(sig, other));
        int next = 0;
        for (long ms = 0; ms < 10_000; ms += 10) {
            while (next < triggers.length && triggers[next][0] == ms) {
                c.trigger("r", "one", ms * 1_000_000L, triggers[next][1] * 1_000_000L, triggers[next][2] * 1_000_000L);
                next++;
            }
            bus.sample(sig, ms, ms, ms * 1000);
            bus.sample(other, ms, ms, ms * 1000);
        }
        committer.commit();
        return bus;
    }

    /** Captured samples: "stream bus" and every timestamp (ms). */
    private List<Long> captured(TreeSet<String> buses) throws Exception {
        List<Long> out = new ArrayList<>();
        BatchRecord b;
        assertEquals(null, store.assignBatch(Priority.NORMAL, Integer.MAX_VALUE, 0), "the policy keeps nothing normally");
        while ((b = store.assignBatch(Priority.CAPTURE, Integer.MAX_VALUE, 0)) != null) {
            for (StoredChunk c : b.chunks()) {
                buses.add(c.stream().bus() + ":" + c.stream().signal());
                SampleColumn col = c.chunk().decode();
                for (int i = 0; i < col.size(); i++) out.add(col.timestamp(i) / 1000);
            }
            store.acknowledge(b.sequence());
        }
        out.sort(null);
        return out;
    }

    @Test void theWindowComesFromTheRingAndThenAtFullRate() throws Exception {
        run("", new long[][] {{5000, 2000, 1000}});
        TreeSet<String> buses = new TreeSet<>();
        List<Long> t = captured(buses);
        assertEquals(new TreeSet<>(List.of("capture/r-5000/can0:S")), buses, "only the capture policy's signal, under the event's id");
        assertEquals(2990L, t.get(0), "the value at the window's start: the newest sample before 3 s");
        assertEquals(3000L, t.get(1));
        assertEquals(6000L, t.get(t.size() - 1));
        assertEquals(1 + 301, t.size(), "every 10 ms sample of [3 s, 6 s], at full rate although the policy is off");
    }

    @Test void overlappingTriggersMergeIntoOneEvent() throws Exception {
        run("", new long[][] {{5000, 2000, 1000}, {5500, 1000, 2000}, {9000, 500, 500}});
        TreeSet<String> buses = new TreeSet<>();
        List<Long> t = captured(buses);
        // the second trigger's window [4.5 s, 7.5 s] overlaps [3 s, 6 s]: one event [3 s, 7.5 s]; the third is its own
        assertEquals(new TreeSet<>(List.of("capture/r-5000/can0:S", "capture/r-9000/can0:S")), buses);
        assertEquals(1 + 451 + 1 + 101, t.size());
        assertEquals(t.size(), new TreeSet<>(t).size(), "no sample twice");
    }

    @Test void theRingBoundsHowFarBackACaptureReaches() throws Exception {
        BusCollector bus = run("pre_trigger_samples: 200\n", new long[][] {{5000, 2000, 1000}});
        assertEquals(200 * 20L, bus.ringBytes(), "20 bytes per sample, allocated once");
        List<Long> t = captured(new TreeSet<>());
        // 200 samples of two signals: the last second before the trigger
        assertTrue(t.get(0) >= 3900 && t.get(0) <= 4010, "first " + t.get(0));
        assertEquals(6000L, t.get(t.size() - 1));
    }

    @Test void badCaptureSectionsAreRefusedWithTheField() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse("version: 1\ncaptures:\n  x: {signals: []}\n", "p"));
        assertTrue(e.getMessage().contains("p: captures.x: 'signals' must be a non-empty list of globs"), e.getMessage());
        e = assertThrows(PolicyException.class, () -> PolicyLoader.parse("version: 1\npre_trigger_samples: -1\n", "p"));
        assertTrue(e.getMessage().contains("'pre_trigger_samples' must be a whole number"), e.getMessage());
        assertThrows(PolicyException.class, () -> PolicyLoader.parse("version: 1\ncaptures:\n  x: {signals: [S], rate: 1}\n", "p"));
    }
}
