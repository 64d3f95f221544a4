package dev.vgate.agent.cli;

import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryCommandTest {
    @TempDir Path tmp;

    @Test void quoteIsTheSharedJsonStringLiteral() {
        assertEquals("\"BMS_Status\"", TelemetryCommand.Decode.quote("BMS_Status"));
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", TelemetryCommand.Decode.quote("a\"b\\c\n\u0001"));
        assertEquals("\"NaN\"", TelemetryCommand.Decode.quote(Double.toString(Double.NaN)));
    }

    /** pack reads stdin and writes stdout (System.in/out), decode --json reads the file it wrote. */
    @Test void packedLogDecodesToJsonLines() throws Exception {
        Path dbc = tmp.resolve("demo.dbc");
        DemoDbc.writeTo(dbc);
        String log = "(1700000000.123456) can0 100#591F85FF250F0000\n(1700000000.223456) can0 100#5A1F85FF250F0000\n";
        byte[] batches = runWithSystemStreams(log.getBytes(StandardCharsets.UTF_8), "telemetry", "pack", "--dbc", dbc.toString());
        Path file = tmp.resolve("batches.bin");
        Files.write(file, batches);
        String out = new String(runWithSystemStreams(new byte[0], "telemetry", "decode", "--json", file.toString()), StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();
        assertTrue(lines.size() >= 2, out);
        for (String l : lines) {
            assertTrue(l.matches("\\{\"seq\":[0-9]+,\"t\":1700000000[0-9]{6},\"bus\":\"can0\",\"message\":\"BMS_Status\",\"signal\":\"[A-Za-z_]+\",\"raw\":-?[0-9]+,\"value\":\\S+}"), l);
        }
    }

    private static byte[] runWithSystemStreams(byte[] stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
            CommandLine cl = VgateCommand.commandLine();
            assertEquals(0, cl.execute(args));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return out.toByteArray();
    }
}
