package dev.vgate.agent.cli;

import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbcCommandTest {
    @TempDir Path tmp;

    record Result(int exit, String out, String err) {
        List<String> lines() { return out.isEmpty() ? List.of() : List.of(out.split("\n")); }
    }

    private Result run(String stdin, String... args) {
        CommandLine cl = VgateCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        DbcCommand.Decode decode = cl.getSubcommands().get("dbc").getSubcommands().get("decode").getCommand();
        decode.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path demoDbc() throws IOException {
        Path p = tmp.resolve("demo.dbc");
        DemoDbc.writeTo(p);
        return p;
    }

    private static final String LOG = String.join("\n",
            "(1700000000.123456) can0 100#591F85FF250F0000",   // BMS_Status
            "(1700000000.200000) can0 7AB#0102",               // unknown id: counted, not printed
            "(1700000000.300000) can0 100#591F85FF250F00",     // 7 bytes for an 8-byte message
            "this is not candump",                              // bad line 4
            "(1700000000.400000) can0 300#000000000000C07F",   // ChargeEnergy float32 bits 7FC00000 = NaN
            "(1700000000.500000) can0 300#000000000000807F",   // +inf
            "(1700000000.600000) can0 300#00000000000080FF",   // -inf
            "(1700000000.700000) can0 102##109" + "00".repeat(63), // BMS_CellData with CellGroup 9: no such group
            "(1700000000.800000) can1 18FEF100#55D6B01CE2BA18F9", // GPS, 29-bit
            "");

    @Test
    void jsonOutputIsOneObjectPerFrameWithErrorsAndNonFiniteStrings() throws Exception {
        Result r = run(LOG, "dbc", "decode", "--json", "--dbc", demoDbc().toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(
                "{\"t\":1700000000.123456,\"bus\":\"can0\",\"id\":256,\"message\":\"BMS_Status\",\"signals\":{\"PackVoltage\":401.25,"
                        + "\"PackCurrent\":-12.3,\"SoC\":80.5,\"BMS_State\":\"CHARGING\",\"ContactorState\":0,\"BMS_Counter\":0,\"BMS_Checksum\":0}}",
                "{\"t\":1700000000.300000,\"bus\":\"can0\",\"id\":256,\"error\":\"Wrong data size: 7 instead of 8 bytes\"}",
                "{\"t\":1700000000.400000,\"bus\":\"can0\",\"id\":768,\"message\":\"Charger_Status\",\"signals\":{\"ChargePower\":0.0,\"ChargeState\":\"IDLE\",\"ChargerTemp\":-40,\"ChargeEnergy\":\"nan\"}}",
                "{\"t\":1700000000.500000,\"bus\":\"can0\",\"id\":768,\"message\":\"Charger_Status\",\"signals\":{\"ChargePower\":0.0,\"ChargeState\":\"IDLE\",\"ChargerTemp\":-40,\"ChargeEnergy\":\"inf\"}}",
                "{\"t\":1700000000.600000,\"bus\":\"can0\",\"id\":768,\"message\":\"Charger_Status\",\"signals\":{\"ChargePower\":0.0,\"ChargeState\":\"IDLE\",\"ChargerTemp\":-40,\"ChargeEnergy\":\"-inf\"}}",
                "{\"t\":1700000000.700000,\"bus\":\"can0\",\"id\":258,\"error\":\"expected multiplexer id 0, 1 or 2, but got 9 (BMS_CellData.CellGroup)\"}",
                "{\"t\":1700000000.800000,\"bus\":\"can1\",\"id\":419361024,\"message\":\"GPS_Position\",\"signals\":{\"Latitude\":48.1351253,\"Longitude\":-11.5819806}}"),
                r.lines());
        assertTrue(r.err().contains("line 4: expected '(' to open the timestamp: this is not candump"), r.err());
        assertTrue(r.err().contains("8 frames: 5 decoded (21 signal values), 1 of unknown ids (1 distinct), 1 wrong length, 1 unknown multiplexer; 1 bad log lines of 9"), r.err());
    }

    @Test
    void textOutputFollowsCantoolsLayout() throws Exception {
        Result r = run(LOG, "dbc", "decode", "--dbc", demoDbc().toString());
        assertEquals("(1700000000.123456) can0 100#591F85FF250F0000 :: BMS_Status(PackVoltage: 401.25 V, PackCurrent: -12.3 A, SoC: 80.5 %, "
                + "BMS_State: CHARGING, ContactorState: 0, BMS_Counter: 0, BMS_Checksum: 0)", r.lines().get(0));
        assertEquals("(1700000000.300000) can0 100#591F85FF250F00 :: Wrong data size: 7 instead of 8 bytes", r.lines().get(1));
    }

    @Test
    void aDbcBoundToABusOnlyDecodesThatBus() throws Exception {
        String dbc = demoDbc().toString();
        Result r = run(LOG, "dbc", "decode", "--json", "--dbc", "can1=" + dbc);
        assertEquals(1, r.lines().size(), r.out());
        assertTrue(r.lines().get(0).contains("GPS_Position"));
    }

    @Test
    void inputWithoutAnyCandumpLineFails() throws Exception {
        Result r = run("garbage\nmore garbage\n", "dbc", "decode", "--dbc", demoDbc().toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("line 2: "), r.err());
    }

    @Test
    void brokenDbcIsOneLineError() throws Exception {
        Path bad = tmp.resolve("bad.dbc");
        Files.writeString(bad, "BO_ 1 M: 8 X\n SG_ A : 0|65@1+ (1,0) [0|0] \"\" X\n");
        Result r = run("", "dbc", "decode", "--dbc", bad.toString());
        assertEquals(1, r.exit());
        assertEquals("vgate dbc decode: " + bad + ":2:12: expected a signal length of 1 to 64 bits, found 65 (signal A)\n", r.err());
    }

    @Test
    void showListsMessagesSignalsAndWarnings() throws Exception {
        Path dbc = tmp.resolve("quirky.dbc");
        Files.writeString(dbc, "BO_ 316495015 Quirky: 2 X\n SG_ Wide : 8|16@1+ (1,0) [0|0] \"\" X\n SG_ Mode : 0|2@1+ (1,0) [0|3] \"\" X\n"
                + "\nVAL_ 316495015 Mode 0 \"OFF\" 1 \"ON\" ;\n");
        Result r = run("", "dbc", "show", dbc.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith(dbc + ": 1 messages, 2 signals, 2 warnings\n"), r.out());
        assertTrue(r.out().contains(dbc + ":1:1: warning: message Quirky id 316495015 (0x12DD54A7) is above 0x7FF without the extended flag"), r.out());
        assertTrue(r.out().contains(dbc + ":2:2: warning: signal Wide (bytes 1..2) does not fit in message Quirky of 2 bytes; it is never decoded"), r.out());
        assertTrue(r.out().contains("0x12DD54A7 Quirky: 2 bytes"), r.out());
        assertTrue(r.out().contains("  Mode: 0|2@1 (Intel) unsigned x1 +0 [0 .. 3] {0=OFF, 1=ON}"), r.out());
    }

    @Test
    void konaRecordingDecodesWithOneDbcPerBus() throws Exception {
        String p = System.getProperty("vgate.shared.data");
        Path data = p == null ? null : Path.of(p);
        Assumptions.assumeTrue(data != null && Files.isDirectory(data.resolve("logs")), "skipped: ../shared/data not found");
        String log = Files.readString(data.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log"));
        Result r = run(log, "dbc", "decode", "--json",
                "--dbc", "can0=" + data.resolve("dbc/kona-ev-dbc/pcan.dbc"),
                "--dbc", "can1=" + data.resolve("dbc/opendbc-generated/hyundai_can_generated.dbc"));
        assertEquals(0, r.exit());
        // 23,980 + 14,231 frames decode as in the cantools reference; 282 + 555 are refused for their length
        assertTrue(r.err().contains("39546 frames: 38211 decoded (311378 signal values), 498 of unknown ids (8 distinct), 837 wrong length"), r.err());
        assertEquals(38211 + 837, r.lines().size());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("\"message\":\"BMS_542\"") && l.contains("\"SocDisp\":")));
    }
}
