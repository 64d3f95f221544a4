package dev.vgate.bench.telemetry;

import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.buffer.pack.TelemetryPacker;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.buffer.wire.Compression;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real recording decoded once: its samples, and the candump lines of the frames that decoded. */
final class Recording {
    record Sample(long tUs, String bus, Signal signal, long raw, double value) {}

    final String name;
    final Path log;
    final BusDatabases databases;
    final List<Sample> samples = new ArrayList<>();
    final StringBuilder decodableLines = new StringBuilder();

    /** Microseconds added to every timestamp (the 2020 log starts at -0.364 s, which candump readers reject). */
    final long shiftUs;

    Recording(String name, Path log, BusDatabases databases, String onlyBus) throws Exception {
        this(name, log, databases, onlyBus, 0);
    }

    Recording(String name, Path log, BusDatabases databases, String onlyBus, long shiftUs) throws Exception {
        this.name = name;
        this.log = log;
        this.databases = databases;
        this.shiftUs = shiftUs;
        Map<String, FrameDecoder> decoders = new HashMap<>();
        CanFrame f = new CanFrame();
        for (String line : lines()) {
            if (line.isBlank()) continue;
            CandumpFormat.parseLogLine(line, f);
            if (onlyBus != null && !onlyBus.equals(f.iface())) continue;
            DbcDatabase db = databases.forBus(f.iface());
            if (db == null) continue;
            long t = f.timestampNanos() / 1000;
            String bus = f.iface();
            DecodeStatus st = decoders.computeIfAbsent(bus, k -> db.newDecoder())
                    .decode(f.id(), f.isExtended(), f.data(), f.length(), (s, raw, v) -> samples.add(new Sample(t, bus, s, raw, v)));
            if (st == DecodeStatus.OK) decodableLines.append(line).append('\n');
        }
    }

    /** The lines of the bus(es) used, as candump text, for the packer. */
    String candumpOf(String onlyBus) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : lines()) {
            if (onlyBus == null || line.contains(" " + onlyBus + " ")) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The log's lines, timestamps shifted by {@link #shiftUs} (exact: integer microseconds). */
    List<String> lines() throws java.io.IOException {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (shiftUs == 0) return all;
        List<String> out = new ArrayList<>(all.size());
        for (String line : all) {
            int close = line.indexOf(')');
            if (!line.startsWith("(") || close < 0) {
                out.add(line);
                continue;
            }
            long us = new java.math.BigDecimal(line.substring(1, close)).movePointRight(6).longValueExact() + shiftUs;
            out.add(String.format(java.util.Locale.ROOT, "(%d.%06d)", us / 1_000_000, us % 1_000_000) + line.substring(close + 1));
        }
        return out;
    }

    /** One of the real recordings the telemetry benches compare on, and the bus its raw log is cut to (null: all). */
    record Real(String title, Recording recording, String onlyBus) {}

    /** The Kona recordings of ../shared/data with their DBCs, each decoded once. */
    static List<Real> kona(Path data) throws Exception {
        DbcDatabase pcan = DbcDatabase.load(data.resolve("dbc/cantools-compat/kona_pcan.cantools-compat.dbc"));
        DbcDatabase ccan = DbcDatabase.load(data.resolve("dbc/cantools-compat/hyundai_can_generated.cantools-compat.dbc"));
        DbcDatabase comp = DbcDatabase.load(data.resolve("dbc/kona-ev-dbc/comp_can.dbc"));
        Path kona19 = data.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log");
        Path kona20 = data.resolve("logs/kona_ev_2020_compcan_heating/kona_ev_2020_compcan_heating.candump.log");
        return List.of(
                new Real("Kona 2019 P-CAN (can0, powertrain)", new Recording("k19-can0", kona19, new BusDatabases().put("can0", pcan), "can0"), "can0"),
                new Real("Kona 2019 P-CAN + C-CAN (can0+can1)", new Recording("k19", kona19, new BusDatabases().put("can0", pcan).put("can1", ccan), null), null),
                new Real("Kona 2020 COMP-CAN (heating; timestamps +1 s)", new Recording("k20", kona20, new BusDatabases().put("can0", comp), null, 1_000_000), null));
    }

    /**
     * The bytes {@code vgate telemetry pack} writes for {@code text} (this recording's candump lines), every
     * sample, xz, {@code batchMs} batches in batch format {@code schema}; checks that every sample was packed.
     */
    long packedBytes(String text, long batchMs, int schema) throws Exception {
        var counter = new java.io.OutputStream() {
            long n;
            @Override public void write(int b) { n++; }
            @Override public void write(byte[] b, int off, int len) { n += len; }
        };
        TelemetryPacker.Result res = new TelemetryPacker(databases, CollectionPolicy.everySample(),
                UploaderConfig.defaults("bench").withBatchInterval(batchMs).withCompression(Compression.XZ), 1000, schema)
                .pack(new BufferedReader(new StringReader(text)), name, counter);
        if (res.samples() != samples.size()) throw new IllegalStateException(name + ": packed " + res.samples() + " samples, decoded " + samples.size());
        return counter.n;
    }
}
