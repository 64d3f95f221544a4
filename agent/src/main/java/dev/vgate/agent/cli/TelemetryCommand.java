package dev.vgate.agent.cli;

import dev.vgate.agent.daemon.Json;
import dev.vgate.buffer.TelemetryException;
import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.buffer.pack.TelemetryPacker;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.buffer.wire.Compression;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.input.BoundedLineReader;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vgate telemetry ...}: offline packing of recordings into upload batches, and decoding batches. */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
        description = "Telemetry batches: pack a candump recording as vgate would upload it, decode batch files.",
        subcommands = {TelemetryCommand.Pack.class, TelemetryCommand.Decode.class})
public final class TelemetryCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "pack", mixinStandardHelpOptions = true,
            description = "Read a candump -L log on stdin, write the length-delimited TelemetryBatch messages vgate would upload to stdout; "
                    + "prints samples=N bytes=M bytes_per_sample=X on stderr.")
    static final class Pack implements Callable<Integer> {
        @Option(names = "--dbc", required = true, paramLabel = "[BUS=]FILE",
                description = "DBC file for every bus, or BUS=FILE for one interface (repeatable, e.g. --dbc can0=pcan.dbc --dbc can1=ccan.dbc).")
        List<String> dbcs;

        @Option(names = "--policy", paramLabel = "FILE", description = "Collection policy YAML (default: every sample of every decodable signal).")
        Path policy;

        @Option(names = "--vehicle", defaultValue = "pack", description = "Vehicle id written into the batches (default ${DEFAULT-VALUE}).")
        String vehicle;

        @Option(names = "--batch-interval-ms", defaultValue = "10000", description = "Upload batch interval (default ${DEFAULT-VALUE}).")
        long batchIntervalMs;

        @Option(names = "--group-commit-ms", defaultValue = "1000", description = "Group commit window (default ${DEFAULT-VALUE}).")
        long groupCommitMs;

        @Option(names = "--compression", defaultValue = "xz", description = "xz, deflate or none (default ${DEFAULT-VALUE}).")
        String compression;

        @Override public Integer call() throws Exception {
            BusDatabases dbs = new BusDatabases();
            for (String d : dbcs) {
                int eq = d.indexOf('=');
                if (eq > 0) dbs.put(d.substring(0, eq), loadDbc(Path.of(d.substring(eq + 1))));
                else dbs.fallback(loadDbc(Path.of(d)));
            }
            CollectionPolicy p = policy == null ? CollectionPolicy.everySample() : PolicyLoader.load(policy);
            Compression c;
            try {
                c = Compression.valueOf(compression.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--compression must be xz, deflate or none, found '" + compression + "'");
            }
            UploaderConfig cfg = UploaderConfig.defaults(vehicle).withBatchInterval(batchIntervalMs).withCompression(c);
            // lines are bounded: one endless line (no newline) must not take the heap (docs/security.md#limits)
            BufferedReader in = BoundedLineReader.utf8(System.in, "stdin", BoundedLineReader.DEFAULT_MAX_LINE);
            OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
            TelemetryPacker.Result r = new TelemetryPacker(dbs, p, cfg, groupCommitMs).pack(in, "stdin", out);
            out.flush();
            System.err.printf(Locale.ROOT, "samples=%d bytes=%d bytes_per_sample=%.4f%n", r.samples(), r.bytes(), r.bytesPerSample());
            System.err.printf(Locale.ROOT, "batches=%d frames=%d decoded=%d skipped=%d%n", r.batches(), r.frames().lines(), r.frames().decoded(), r.frames().skipped());
            return 0;
        }

        private static DbcDatabase loadDbc(Path f) throws DbcException { return DbcDatabase.load(f); }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Print the samples of a file of length-delimited TelemetryBatch messages (text, --csv or --json lines).")
    static final class Decode implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Batches file ('-' for stdin).")
        String file;

        @Option(names = "--csv", description = "CSV: t,bus,message,signal,raw,value (t in µs).")
        boolean csv;

        @Option(names = "--json", description = "One JSON object per sample.")
        boolean json;

        @Override public Integer call() throws Exception {
            if (csv && json) throw new IllegalArgumentException("choose one of --csv and --json");
            PrintWriter out = new PrintWriter(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
            long batches = 0, samples = 0;
            try (InputStream in = new BufferedInputStream("-".equals(file) ? System.in : Files.newInputStream(Path.of(file)), 1 << 16)) {
                if (csv) out.println("t,bus,message,signal,raw,value");
                TelemetryBatch b;
                while ((b = BatchDecoder.readDelimited(in)) != null) {
                    batches++;
                    long seq = b.getSequence();
                    if (!csv && !json) {
                        out.printf(Locale.ROOT, "# batch vehicle=%s seq=%d priority=%s samples=%d evicted_bulk=%d evicted_normal=%d downsampled=%d%n",
                                b.getVehicleId(), seq, b.getPriority(), b.getSampleCount(), b.getDataLoss().getEvictedBulk(),
                                b.getDataLoss().getEvictedNormal(), b.getDataLoss().getDownsampled());
                    }
                    samples += BatchDecoder.visit(b, (t, bus, message, signal, raw, value) -> {
                        if (csv) out.append(Long.toString(t)).append(',').append(bus).append(',').append(message).append(',').append(signal)
                                .append(',').append(Long.toString(raw)).append(',').append(Double.toString(value)).append('\n');
                        else if (json) out.append("{\"seq\":").append(Long.toString(seq)).append(",\"t\":").append(Long.toString(t))
                                .append(",\"bus\":").append(quote(bus)).append(",\"message\":").append(quote(message))
                                .append(",\"signal\":").append(quote(signal)).append(",\"raw\":").append(Long.toString(raw))
                                .append(",\"value\":").append(jsonNumber(value)).append("}\n");
                        else out.append(Long.toString(t)).append(' ').append(bus).append(' ').append(message).append('.').append(signal)
                                .append(" raw=").append(Long.toString(raw)).append(" value=").append(Double.toString(value)).append('\n');
                    });
                }
            } catch (IOException e) {
                throw new TelemetryException("cannot read " + file + ": " + e.getMessage(), e);
            } finally {
                out.flush();
            }
            System.err.printf(Locale.ROOT, "batches=%d samples=%d%n", batches, samples);
            return 0;
        }

        private static String jsonNumber(double v) {
            return Double.isFinite(v) ? Double.toString(v) : quote(Double.toString(v));
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2);
            Json.string(sb, s);
            return sb.toString();
        }
    }
}
