package dev.vgate.demo;

import dev.vgate.agent.cli.DurationConverter;
import dev.vgate.agent.cli.dbc.DecodedLineWriter;



import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.SignalSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vgate demo}: vgate end to end with no hardware and no external broker ({@link DemoStory}): an embedded
 * MQTT broker, a virtual CAN bus carrying the demo EV's drive and DC fast charge with a coolant pump failure,
 * the daemon with the default rules, a simulated cloud receiving telemetry and sending a signed command and an
 * A/B update. {@code --decode-only} instead generates the traffic, decodes it with the demo DBC and summarizes it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run vgate end to end on a simulated EV and cloud: CAN decoding, the thermal cutoff rule, telemetry upload, a signed command, an A/B update with boot-verify.",
                "--decode-only: just generate the EV's CAN traffic, decode it with the demo DBC and summarize it."})
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", description = "Seed of the simulation (default ${DEFAULT-VALUE}).", defaultValue = "2026")
    long seed;

    @Option(names = "--duration", description = "Simulated time (default: 2 min for the full demo, 10 min with --decode-only; at least 10s).",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--decode-only", description = "Only generate and decode the traffic (no broker, daemon or cloud).")
    boolean decodeOnly;

    @Option(names = "--keep", paramLabel = "DIR", description = "Full demo: keep its files (configuration, keys, slots, buffer) in DIR.")
    Path keep;

    @Option(names = "--overheat", description = "The pack's coolant pump fails during the charge: BMS_Temp climbs past 60 degC.")
    boolean overheat;

    @Option(names = "--candump", paramLabel = "FILE", description = "Also write the generated traffic as a candump -L log.")
    Path candump;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (duration == null) duration = decodeOnly ? Duration.ofMinutes(10) : Duration.ofMinutes(2);
        if (duration.toMillis() < 10_000) throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be at least 10s");
        if (!decodeOnly) {
            quietLogs(); // the story is the output; the parts' logs would bury it (-Dtinylog.writer.level=info shows them)
            Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("vgate-demo");
            try {
                new DemoStory(out, duration, seed, dir).run();
            } finally {
                if (keep == null) DemoStory.deleteTree(dir);
            }
            return 0;
        }
        if (duration.toMillis() < 10_000) throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be at least 10s");
        DbcDatabase db = DemoDbc.load();
        DemoTrace.Options options = new DemoTrace.Options(seed, DemoTrace.DEFAULT_START_NANOS, duration, "can0", overheat);

        long t0 = System.nanoTime();
        List<CanFrame> frames = new DemoTrace(db, options).frames();
        long t1 = System.nanoTime();
        out.printf(Locale.ROOT, "vgate demo: a simulated EV (%s) drives through town and on the highway, then DC fast charges%n", db.source());
        out.printf(Locale.ROOT, "generated %,d CAN frames (%s of traffic, seed %d) in %.2f s%n",
                frames.size(), human(duration), seed, (t1 - t0) / 1e9);
        if (candump != null) writeCandump(frames, candump);

        FrameDecoder decoder = db.newDecoder();
        DemoSummary summary = new DemoSummary(db);
        long refused = 0;
        long t2 = System.nanoTime();
        for (CanFrame f : frames) {
            if (decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), summary) != DecodeStatus.OK) refused++;
        }
        long t3 = System.nanoTime();
        double secs = Math.max(1e-9, (t3 - t2) / 1e9);
        out.printf(Locale.ROOT, "decoded %,d frames into %,d signal values in %.3f s (%.2f M frames/s, one cold pass; see docs/benchmarks.md), %d refused%n",
                frames.size() - refused, summary.values(), secs, frames.size() / secs / 1e6, refused);
        out.printf(Locale.ROOT, "  drive:   top speed %.1f km/h, motor up to %.0f rpm and %.0f Nm, pack current %.0f .. %.0f A%n",
                summary.max("VehicleSpeed"), summary.max("MotorSpeed"), summary.max("MotorTorque"),
                summary.min("PackCurrent"), summary.max("PackCurrent"));
        out.printf(Locale.ROOT, "  charge:  peak %.1f kW, SoC %.1f %% .. %.1f %%, pack %.1f .. %.1f V, %.1f kWh delivered%n",
                summary.max("ChargePower"), summary.min("SoC"), summary.max("SoC"), summary.min("PackVoltage"),
                summary.max("PackVoltage"), summary.max("ChargeEnergy"));
        out.printf(Locale.ROOT, "  battery: %.1f .. %.1f degC (BMS_Temp)%s%n", summary.min("BMS_Temp"), summary.max("BMS_Temp"),
                overheat ? " -- coolant pump failure simulated" : "");
        out.println("examples:");
        for (CanFrame f : examples(frames)) out.println("  " + decodeLine(db, f));
        out.println("next: ./vgate dbc decode --dbc FILE.dbc < candump.log   (see docs/dbc.md)");
        out.flush();
        return 0;
    }

    private static void quietLogs() {
        if (System.getProperty("tinylog.writer.level") != null) return;
        try {
            org.tinylog.configuration.Configuration.set("writer.level", "error");
            org.tinylog.configuration.Configuration.set("level@io.moquette", "off");
        } catch (UnsupportedOperationException e) {
            // logging already started (tests): leave it as configured
        }
    }

    /** One frame each of a few messages, while driving fast and while charging. */
    private static List<CanFrame> examples(List<CanFrame> frames) {
        long start = frames.get(0).timestampNanos();
        long span = frames.get(frames.size() - 1).timestampNanos() - start;
        return List.of(
                firstAfter(frames, start + span * 35 / 100, 0x210),
                firstAfter(frames, start + span * 35 / 100, 0x200),
                firstAfter(frames, start + span * 75 / 100, 0x100),
                firstAfter(frames, start + span * 75 / 100, 0x101),
                firstAfter(frames, start + span * 75 / 100, 0x300),
                firstAfter(frames, start + span * 75 / 100, 0x18FEF100));
    }

    private static CanFrame firstAfter(List<CanFrame> frames, long t, int id) {
        for (CanFrame f : frames) if (f.timestampNanos() >= t && f.id() == id) return f;
        throw new IllegalStateException("demo trace has no frame 0x" + Integer.toHexString(id));
    }

    private static String decodeLine(DbcDatabase db, CanFrame f) {
        DecodedLineWriter w = new DecodedLineWriter(false);
        FrameDecoder d = db.newDecoder();
        SignalSink sink = w;
        d.decode(f.id(), f.isExtended(), f.data(), f.length(), sink);
        return w.appendDecoded(f, d.lastMessage(), new StringBuilder()).toString();
    }

    private static void writeCandump(List<CanFrame> frames, Path file) throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            StringBuilder sb = new StringBuilder(160);
            for (CanFrame f : frames) {
                sb.setLength(0);
                CandumpFormat.appendLogLine(f, sb).append('\n');
                w.append(sb);
            }
        }
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }
}
