package dev.vgate.agent.cli;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of {@code vgate can} that need no CAN interface: argument checks and dump's line layout. */
class CanCommandTest {
    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        picocli.CommandLine cl = VgateCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test void badFramesAreRejectedBeforeAnythingIsSent() {
        Result r = run("can", "send", "vcan0", "123#11", "123#zz");
        assertEquals(1, r.exit());
        assertEquals("vgate can send: bad frame '123#zz': expected a hex digit, found 'z'\n", r.err());
    }

    @Test void countMustBePositive() {
        Result r = run("can", "dump", "vcan0", "--count", "0");
        assertEquals(1, r.exit());
        assertEquals("vgate can dump: --count must be at least 1, got 0\n", r.err());
    }

    @Test void dumpLinesAreCandumpLinesAndDbcDecodedSignalsFollow() throws Exception {
        DbcDatabase db;
        try (InputStream in = DemoDbc.class.getResourceAsStream(DemoDbc.RESOURCE)) {
            db = DbcDatabase.load(in, "demo.dbc");
        }
        CanCommand.LineFormatter plain = new CanCommand.LineFormatter(null);
        CanCommand.LineFormatter decoding = new CanCommand.LineFormatter(db.newDecoder());
        CanFrame f = CandumpFormat.parseLogLine("(1700000000.123456) can0 100#591F85FF250F0000", new CanFrame());
        assertEquals("(1700000000.123456) can0 100#591F85FF250F0000", plain.format(f).toString());
        assertEquals("(1700000000.123456) can0 100#591F85FF250F0000 :: BMS_Status(PackVoltage: 401.25 V, PackCurrent: -12.3 A, SoC: 80.5 %, "
                + "BMS_State: CHARGING, ContactorState: 0, BMS_Counter: 0, BMS_Checksum: 0)", decoding.format(f).toString());
        CanFrame unknown = CandumpFormat.parseLogLine("(1700000000.200000) can0 7AB#0102", new CanFrame());
        assertEquals("(1700000000.200000) can0 7AB#0102", decoding.format(unknown).toString());
        CanFrame shortFrame = CandumpFormat.parseLogLine("(1700000000.300000) can0 100#591F85FF250F00", new CanFrame());
        assertEquals("(1700000000.300000) can0 100#591F85FF250F00 :: Wrong data size: 7 instead of 8 bytes", decoding.format(shortFrame).toString());
        CanFrame rtr = CandumpFormat.parseLogLine("(1700000000.400000) can0 100#R", new CanFrame());
        assertTrue(decoding.format(rtr).toString().endsWith("100#R"));
    }
}
