package dev.vgate.buffer.wire;

import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload encoder's memory is bounded by the stored batch, not by 16 B per sample: encoding a 2 M-sample
 * backlog batch once needed all its streams' decoded columns at once (32 MB and their doubling copies) and ran
 * the daemon's upload thread out of heap (docs/benchmarks.md, "Footprint").
 */
class BatchEncoderMemoryTest {

    @Test
    void aTwoMillionSampleBatchEncodesInAHeapSmallerThanItsDecodedColumns() throws Exception {
        // 250 frames x 8 signals x 1,000 samples = 2,000,000 samples: 32 MB as decoded columns, in a 24 MB heap
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                BigBatch.class.getName(), "250", "1000", "10").redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the encoding JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("encoded 2000000 "), out);
    }

    @Test
    void theBytesDoNotDependOnHowManyReferenceTimestampsAreKept() throws Exception {
        BatchRecord b = BigBatch.make(60, 200, 4, 7);
        byte[] kept = new BatchEncoder("v", Compression.NONE).encode(b).toByteArray();
        byte[] decodedAgain = new BatchEncoder("v", Compression.NONE, BatchEncoder.SCHEMA_VERSION, 0).encode(b).toByteArray();
        byte[] someKept = new BatchEncoder("v", Compression.NONE, BatchEncoder.SCHEMA_VERSION, 1_000).encode(b).toByteArray();
        assertArrayEquals(kept, decodedAgain);
        assertArrayEquals(kept, someKept);
        // and every sample comes back
        TelemetryBatch batch = BatchDecoder.parse(kept);
        long[] n = {0};
        BatchDecoder.visit(batch, (t, bus, message, signal, raw, value) -> n[0]++);
        assertEquals(60L * 8 * 200, n[0]);
        assertEquals(n[0], batch.getSampleCount());
    }
}
