package dev.vgate.bench.telemetry;

import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.buffer.pack.TelemetryPacker;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.buffer.wire.Compression;
import dev.vgate.dbc.DbcDatabase;

import java.io.BufferedReader;
import java.io.StringReader;
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
        DbcDatabase pcan = DbcDatabase.load(data.resolve("dbc/cantools-compat/kona_pcan.cantools-compat.dbc"));
        DbcDatabase ccan = DbcDatabase.load(data.resolve("dbc/cantools-compat/hyundai_can_generated.cantools-compat.dbc"));
        DbcDatabase comp = DbcDatabase.load(data.resolve("dbc/kona-ev-dbc/comp_can.dbc"));
        Path kona19 = data.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log");
        Path kona20 = data.resolve("logs/kona_ev_2020_compcan_heating/kona_ev_2020_compcan_heating.candump.log");
        System.out.println("| recording | samples | vgate 10 s batches (default) | vgate 60 s | vgate 1 s | (a) protobuf per sample | (b) JSON+gzip change lists | (c) Gorilla | (d) candump xz -9e | vgate/(d) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        row("Kona 2019 P-CAN (can0, powertrain)", new Recording("k19-can0", kona19, new BusDatabases().put("can0", pcan), "can0"), "can0", tmp);
        row("Kona 2019 P-CAN + C-CAN (can0+can1)", new Recording("k19", kona19, new BusDatabases().put("can0", pcan).put("can1", ccan), null), null, tmp);
        row("Kona 2020 COMP-CAN (heating; timestamps +1 s)", new Recording("k20", kona20, new BusDatabases().put("can0", comp), null, 1_000_000), null, tmp);
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
        var counter = new java.io.OutputStream() {
            long n;
            @Override public void write(int b) { n++; }
            @Override public void write(byte[] b, int off, int len) { n += len; }
        };
        TelemetryPacker.Result res = new TelemetryPacker(r.databases, CollectionPolicy.everySample(),
                UploaderConfig.defaults("bench").withBatchInterval(batchMs).withCompression(Compression.XZ), 1000)
                .pack(new BufferedReader(new StringReader(text)), r.name, counter);
        if (res.samples() != r.samples.size()) throw new IllegalStateException(r.name + ": packed " + res.samples() + " samples, decoded " + r.samples.size());
        return counter.n;
    }

    private static String bps(long bytes, long samples) {
        return String.format(Locale.ROOT, "%d B = %.3f B/sample", bytes, (double) bytes / samples);
    }
}
