package dev.vgate.bench.telemetry;

import dev.vgate.buffer.wire.BatchEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Uploaded bytes per sample (every sample, lossless) on the real Kona recordings: vgate's batches (exactly
 * what {@code vgate telemetry pack} writes, length prefixes included) against the baselines. Run:
 * {@code java -cp bench/target/benchmarks.jar dev.vgate.bench.telemetry.BytesPerSample ../shared/data}
 */
public final class BytesPerSample {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path tmp = Files.createTempDirectory("vgate-bps");
        System.out.println("| recording | samples | vgate 10 s batches (default) | vgate 60 s | vgate 1 s | (a) protobuf per sample | (b) JSON+gzip change lists | (c) Gorilla | (d) candump xz -9e | vgate/(d) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Recording.Real real : Recording.kona(data)) row(real.title(), real.recording(), real.onlyBus(), tmp);
    }

    private static void row(String title, Recording r, String onlyBus, Path tmp) throws Exception {
        long n = r.samples.size();
        String text = r.candumpOf(onlyBus);
        long v10 = pack(r, text, 10_000);
        long v60 = pack(r, text, 60_000);
        long v1 = pack(r, text, 1_000);
        long a = Baselines.plainProtobuf(r.samples);
        long b = Baselines.jsonGzipChangeLists(r.samples);
        long c = Baselines.gorilla(r.samples);
        long d = Baselines.candumpXz(r.decodableLines.toString(), tmp);
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.2f |%n", title, n, bps(v10, n), bps(v60, n), bps(v1, n),
                bps(a, n), bps(b, n), bps(c, n), bps(d, n), (double) v10 / d);
    }

    private static long pack(Recording r, String text, long batchMs) throws Exception {
        return r.packedBytes(text, batchMs, BatchEncoder.SCHEMA_VERSION);
    }

    private static String bps(long bytes, long samples) {
        return String.format(Locale.ROOT, "%d B = %.3f B/sample", bytes, (double) bytes / samples);
    }
}
