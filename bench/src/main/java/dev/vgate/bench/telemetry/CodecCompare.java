package dev.vgate.bench.telemetry;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.DataLoss;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.buffer.wire.BatchEncoder;
import dev.vgate.buffer.wire.Compression;
import dev.vgate.dbc.Signal;
import org.tukaani.xz.LZMA2Options;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The telemetry batch codec side by side with the previous one (schema 1) on every real recording in
 * ../shared/data, in one run: uploaded bytes per sample (exactly what {@code vgate telemetry pack} writes,
 * 10 s batches, xz), the ratio to {@code xz -9e} of the raw candump log (all its lines, and only the frames
 * that decoded), the CPU time of encoding batches on one core (median of 7 passes), and the encoder's peak
 * memory. Run:
 * {@code java -Xmx512m -cp bench/target/benchmarks.jar dev.vgate.bench.telemetry.CodecCompare ../shared/data}
 */
public final class CodecCompare {
    private static final long BATCH_US = 10_000_000, CHUNK_US = 1_000_000;
    private static final int PASSES = 7;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path tmp = Files.createTempDirectory("vgate-codec");
        System.out.println("| recording | samples | raw log xz -9e (B/sample) | decodable frames xz -9e | codec | bytes | **B/sample** | / raw-log xz | / decodable xz | encode CPU µs/sample (1 core) | encoder peak memory |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Recording.Real real : Recording.kona(data)) row(real.title(), real.recording(), real.onlyBus(), tmp);
        System.out.printf(Locale.ROOT, "peak RSS of this process (VmHWM): %.1f MB%n", IngestRate.peakRssKb() / 1024.0);
    }

    private static void row(String title, Recording r, String onlyBus, Path tmp) throws Exception {
        long n = r.samples.size();
        String text = r.candumpOf(onlyBus);
        long rawXz = Baselines.candumpXz(text, tmp);
        long decodableXz = Baselines.candumpXz(r.decodableLines.toString(), tmp);
        List<BatchRecord> batches = storedBatches(r);
        for (int schema : new int[] {BatchEncoder.PREVIOUS_SCHEMA_VERSION, BatchEncoder.SCHEMA_VERSION}) {
            long bytes = pack(r, text, schema);
            double[] cpu = encodeCpu(batches, schema);
            long peak = peakEncoderBytes(batches, schema);
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %s | %d | **%.3f** | %.2f | %.2f | %.2f (min %.2f) | %.1f MiB |%n",
                    title, n, (double) rawXz / n, (double) decodableXz / n, schema == 1 ? "schema 1 (previous)" : "schema 2 (new)", bytes,
                    (double) bytes / n, (double) bytes / rawXz, (double) bytes / decodableXz, cpu[0], cpu[1], peak / 1048576.0);
        }
    }

    private static long pack(Recording r, String text, int schema) throws Exception {
        return r.packedBytes(text, 10_000, schema);
    }

    /**
     * The batches as the buffer holds them: per 10 s of recording, per stream, 1 s chunks (the group-commit
     * window), each already encoded as stored. Encoding them is the uploader's work per batch.
     */
    static List<BatchRecord> storedBatches(Recording r) {
        Map<Long, Map<String, List<Recording.Sample>>> byBatch = new LinkedHashMap<>();
        long t0 = r.samples.get(0).tUs();
        for (Recording.Sample s : r.samples) {
            long b = Math.floorDiv(s.tUs() - t0, BATCH_US);
            byBatch.computeIfAbsent(b, k -> new LinkedHashMap<>()).computeIfAbsent(s.bus() + " " + s.signal().index(), k -> new ArrayList<>()).add(s);
        }
        List<BatchRecord> out = new ArrayList<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        long seq = 1, row = 1;
        for (Map<String, List<Recording.Sample>> streams : byBatch.values()) {
            List<StoredChunk> chunks = new ArrayList<>();
            for (Map.Entry<String, List<Recording.Sample>> e : streams.entrySet()) {
                List<Recording.Sample> l = e.getValue();
                Signal sig = l.get(0).signal();
                StreamInfo info = new StreamInfo(l.get(0).bus(), sig.message().name(), sig.name(), sig.index(), sig.message().frameId(),
                        ValueEncoding.forSignal(sig), sig.factor(), sig.offset());
                int id = ids.computeIfAbsent(e.getKey(), k -> ids.size() + 1);
                SampleColumn col = new SampleColumn();
                long window = Long.MIN_VALUE;
                for (Recording.Sample s : l) {
                    long w = Math.floorDiv(s.tUs() - t0, CHUNK_US);
                    if (w != window && col.size() > 0) {
                        chunks.add(new StoredChunk(row++, info, id, EncodedChunk.encode(info.encoding(), col)));
                        col = new SampleColumn();
                    }
                    window = w;
                    col.add(s.tUs(), s.raw());
                }
                if (col.size() > 0) chunks.add(new StoredChunk(row++, info, id, EncodedChunk.encode(info.encoding(), col)));
            }
            out.add(new BatchRecord(seq++, Priority.NORMAL, 0, new DataLoss(0, 0, 0), chunks));
        }
        return out;
    }

    /** CPU time of encoding every batch (merge, codecs, xz) on this thread: median and minimum over passes, µs per sample. */
    private static double[] encodeCpu(List<BatchRecord> batches, int schema) throws Exception {
        var mx = ManagementFactory.getThreadMXBean();
        long samples = 0;
        for (BatchRecord b : batches) samples += b.sampleCount();
        double[] perSample = new double[PASSES];
        BatchEncoder enc = new BatchEncoder("bench", Compression.XZ, schema);
        for (BatchRecord b : batches) enc.encode(b); // warm-up
        for (int p = 0; p < PASSES; p++) {
            long start = mx.getCurrentThreadCpuTime();
            for (BatchRecord b : batches) enc.encode(b);
            perSample[p] = (mx.getCurrentThreadCpuTime() - start) / 1000.0 / samples;
        }
        Arrays.sort(perSample);
        return new double[] {perSample[PASSES / 2], perSample[0]};
    }

    /**
     * The encoder's peak working memory for the largest batch: the merged columns (16 B per sample), the
     * plain payload, and the xz encoder for the dictionary it picks (LZMA2 preset 9, dictionary = payload size).
     */
    private static long peakEncoderBytes(List<BatchRecord> batches, int schema) throws Exception {
        long peak = 0;
        BatchEncoder enc = new BatchEncoder("bench", Compression.NONE, schema);
        for (BatchRecord b : batches) {
            int plain = enc.encode(b).getPayload().size();
            LZMA2Options o = new LZMA2Options(9);
            o.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(plain, 8 << 20)));
            long bytes = 16L * b.sampleCount() + 2L * plain + o.getEncoderMemoryUsage() * 1024L;
            peak = Math.max(peak, bytes);
        }
        return peak;
    }

    static String read(Path p) throws Exception { return Files.readString(p, StandardCharsets.UTF_8); }
}
