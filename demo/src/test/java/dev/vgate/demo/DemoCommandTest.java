package dev.vgate.demo;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.FrameDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @TempDir Path tmp;

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = DemoMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static double batteryMax(String out) {
        Matcher m = Pattern.compile("battery: (-?[0-9.]+) \\.\\. (-?[0-9.]+) degC").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(2));
    }

    @Test
    void summarizesTheDriveAndTheChargeWithNothingRefused() {
        Result r = run("demo", "--decode-only", "--duration", "1m");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("generated 8,340 CAN frames (1 min of traffic, seed 2026)"), r.out());
        assertTrue(r.out().contains("0 refused"), r.out());
        assertTrue(r.out().contains(":: BMS_Status(PackVoltage: "), r.out());
        assertTrue(batteryMax(r.out()) < 45, r.out());
    }

    @Test
    void overheatShowsTheBatteryPast60Degrees() {
        Result r = run("demo", "--decode-only", "--duration", "30s", "--overheat");
        assertEquals(0, r.exit(), r.err());
        assertTrue(batteryMax(r.out()) > 60, r.out());
        assertTrue(r.out().contains("coolant pump failure simulated"), r.out());
    }

    @Test
    void candumpOptionWritesTheTrafficAsALogThatDecodes() throws Exception {
        Path log = tmp.resolve("demo.log");
        Result r = run("demo", "--decode-only", "--duration", "20s", "--candump", log.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(log, StandardCharsets.US_ASCII);
        assertEquals(20 * 139, lines.size()); // 139 frames per simulated second, see DemoTraceTest for the schedule
        DbcDatabase db = DemoDbc.load();
        FrameDecoder d = db.newDecoder();
        CanFrame f = new CanFrame();
        for (String line : lines) {
            CandumpFormat.parseLogLine(line, f);
            assertEquals(DecodeStatus.OK, d.decode(f.id(), f.isExtended(), f.data(), f.length(), (s, raw, v) -> { }), line);
        }
    }

    @Test
    void refusesADurationUnderTenSeconds() {
        Result r = run("demo", "--decode-only", "--duration", "5s");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--duration must be at least 10s"), r.err());
    }
}
