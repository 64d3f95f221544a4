package dev.vgate.buffer.store;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.wire.BatchEncoder;
import dev.vgate.buffer.wire.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteTelemetryStoreTest {
    @TempDir Path dir;

    static StreamInfo stream(String sig) {
        return new StreamInfo("can0", "MSG", sig, 1, 0x100, ValueEncoding.DELTA_ZIGZAG, 0.5, -10);
    }

    static EncodedChunk chunk(long t0, int n, long seed) {
        SampleColumn c = new SampleColumn();
        for (int i = 0; i < n; i++) c.add(t0 + i * 10_000L, seed + (i * 7919L) % 1000);
        return EncodedChunk.encode(ValueEncoding.DELTA_ZIGZAG, c);
    }

    @Test void batchIsDeletedOnlyAfterAcknowledgeAndSurvivesReopenWithItsSequence() throws Exception {
        Path f = dir.resolve("b.db");
        byte[] firstBytes;
        long seq;
        try (SqliteTelemetryStore s = SqliteTelemetryStore.open(f, 0)) {
            assertEquals("wal", journalMode(s));
            int a = s.streamId(stream("A"));
            int b = s.streamId(stream("B"));
            assertEquals(a, s.streamId(stream("A")));
            s.commitWindow(List.of(new PendingChunk(a, Priority.NORMAL, chunk(0, 100, 1)), new PendingChunk(b, Priority.NORMAL, chunk(0, 100, 2))), 5);
            s.commitWindow(List.of(new PendingChunk(a, Priority.NORMAL, chunk(1_000_000, 100, 3))), 0);
            BatchRecord batch = s.assignBatch(Priority.NORMAL, 1000, 1234);
            assertNotNull(batch);
            seq = batch.sequence();
            assertEquals(300, batch.sampleCount());
            assertEquals(new DataLoss(0, 0, 5), batch.dataLoss());
            assertNull(s.assignBatch(Priority.NORMAL, 1000, 1234), "nothing unassigned left");
            firstBytes = new BatchEncoder("v1", Compression.XZ).encode(batch).toByteArray();
        }
        try (SqliteTelemetryStore s = SqliteTelemetryStore.open(f, 0)) {
            assertEquals(List.of(seq), s.unacknowledgedBatches());
            byte[] again = new BatchEncoder("v1", Compression.XZ).encode(s.batch(seq)).toByteArray();
            assertArrayEquals(firstBytes, again, "a re-sent batch is byte-identical");
            assertEquals(300, s.stats().normalSamples());
            s.acknowledge(seq);
            assertEquals(0, s.stats().totalSamples());
            assertTrue(s.unacknowledgedBatches().isEmpty());
            assertEquals("ok", s.integrityCheck());
            int a = s.streamId(stream("A"));
            s.commitWindow(List.of(new PendingChunk(a, Priority.NORMAL, chunk(0, 10, 1))), 0);
            assertEquals(seq + 1, s.assignBatch(Priority.NORMAL, 1000, 1).sequence(), "sequence continues after reopen");
        }
    }

    @Test void batchesRespectMaxSamplesAndPriority() throws Exception {
        try (SqliteTelemetryStore s = SqliteTelemetryStore.open(dir.resolve("b.db"), 0)) {
            int a = s.streamId(stream("A"));
            for (int w = 0; w < 5; w++) {
                s.commitWindow(List.of(new PendingChunk(a, Priority.NORMAL, chunk(w * 1_000_000L, 100, w)),
                        new PendingChunk(a, Priority.BULK, chunk(w * 1_000_000L, 50, w))), 0);
            }
            assertEquals(200, s.assignBatch(Priority.NORMAL, 250, 0).sampleCount());
            assertEquals(200, s.assignBatch(Priority.NORMAL, 250, 0).sampleCount());
            assertEquals(100, s.assignBatch(Priority.NORMAL, 250, 0).sampleCount());
            BatchRecord bulk = s.assignBatch(Priority.BULK, 10, 0);
            assertEquals(50, bulk.sampleCount(), "one chunk even when above the limit");
            assertEquals(Priority.BULK, bulk.priority());
        }
    }

    @Test void quotaEvictsBulkOldestFirstThenNormalNeverAlerts() throws Exception {
        try (SqliteTelemetryStore s = SqliteTelemetryStore.open(dir.resolve("q.db"), 128 * 1024)) {
            int a = s.streamId(stream("A"));
            int al = s.streamId(stream("ALERT"));
            for (int i = 0; i < 5; i++) s.commitAlert(new PendingChunk(al, Priority.ALERT, chunk(i, 1, i)), 0);
            long bulkFirst = -1;
            long normalEvictedBefore = 0;
            for (int w = 0; w < 200; w++) {
                // incompressible-ish values so the pages fill up
                s.commitWindow(List.of(new PendingChunk(a, Priority.BULK, randomChunk(w * 1_000_000L, 400, w)),
                        new PendingChunk(a, Priority.NORMAL, randomChunk(w * 1_000_000L, 300, -w))), 0);
                StoreStats st = s.stats();
                assertTrue(st.usedBytes() <= 128 * 1024, "used " + st.usedBytes());
                if (bulkFirst < 0 && st.unreported().evictedBulk() > 0) bulkFirst = w;
                if (st.unreported().evictedNormal() > normalEvictedBefore) {
                    assertEquals(0, st.bulkSamples(), "normal is evicted only when no bulk is left");
                }
                normalEvictedBefore = st.unreported().evictedNormal();
            }
            StoreStats st = s.stats();
            assertTrue(bulkFirst > 0);
            assertTrue(st.unreported().evictedBulk() > 0);
            assertTrue(st.unreported().evictedNormal() > 0, "a long outage reaches normal data too");
            assertEquals(5, st.alertSamples(), "alerts are never evicted");
            // what is left of normal data is the newest
            BatchRecord b = s.assignBatch(Priority.NORMAL, Integer.MAX_VALUE, 0);
            assertTrue(b.chunks().get(0).chunk().firstTimestampUs() > 0, "the oldest normal chunks went first");
            assertEquals(199_000_000L, b.chunks().get(b.chunks().size() - 1).chunk().firstTimestampUs());
            assertEquals(st.unreported().evictedBulk(), b.dataLoss().evictedBulk(), "counts travel with the next batch");
            assertEquals(DataLoss.NONE, s.stats().unreported());
            long held = st.normalSamples() + st.bulkSamples() + st.alertSamples();
            assertEquals(200 * 700 + 5, held + st.unreported().evictedBulk() + st.unreported().evictedNormal(), "every sample is held or counted");
            assertEquals("ok", s.integrityCheck());
        }
    }

    static EncodedChunk randomChunk(long t0, int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        SampleColumn c = new SampleColumn();
        for (int i = 0; i < n; i++) c.add(t0 + i * 1000L, r.nextLong(1 << 20));
        return EncodedChunk.encode(ValueEncoding.DELTA_ZIGZAG, c);
    }

    private static String journalMode(SqliteTelemetryStore s) throws Exception {
        var f = SqliteTelemetryStore.class.getDeclaredField("db");
        f.setAccessible(true);
        try (var st = ((java.sql.Connection) f.get(s)).createStatement(); var rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
