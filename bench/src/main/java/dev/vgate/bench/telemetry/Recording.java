package dev.vgate.bench.telemetry;

import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;

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
}
