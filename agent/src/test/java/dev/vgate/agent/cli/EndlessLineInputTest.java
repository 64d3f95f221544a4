package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vgate dbc decode}, {@code rules replay} and {@code telemetry pack} read candump lines from stdin: a
 * line without a newline (256 MiB of 'x' here, generated, never held) is refused after its first 4 KiB with
 * one line naming stdin and the line number (exit 1), and what came before it is kept. Before, each read the
 * whole line into one String (the heap of the systemd unit is 96 MiB).
 */
class EndlessLineInputTest {
    private static final long STREAM = 256L << 20;
    private static final String GOOD = "(1700000000.000000) can0 101#5C02000000000000\n";

    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private InputStream oldIn;
    private Path dbc;
    private Stream stdin;

    /** One good candump line, then {@link #STREAM} bytes of 'x' without a newline; counts what was read. */
    static final class Stream extends InputStream {
        private final byte[] head = GOOD.getBytes(StandardCharsets.US_ASCII);
        long read;

        @Override public int read() {
            if (read >= head.length + STREAM) return -1;
            int b = read < head.length ? head[(int) read] : 'x';
            read++;
            return b;
        }

        @Override public int read(byte[] b, int off, int len) {
            if (read >= head.length + STREAM) return -1;
            int n = (int) Math.min(len, head.length + STREAM - read);
            for (int k = 0; k < n; k++, read++) b[off + k] = read < head.length ? head[(int) read] : (byte) 'x';
            return n;
        }
    }

    @BeforeEach void capture() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        stdin = new Stream();
        System.setIn(stdin);
        dbc = dir.resolve("demo.dbc");
        DemoDbc.writeTo(dbc);
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    private void assertRefusedAfterLittle(String command, int exit) {
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, e);
        assertTrue(e.endsWith(command + ": stdin:2: line longer than 4096 characters\n"), e);
        assertTrue(stdin.read < 1 << 20, "read " + stdin.read + " bytes");
    }

    @Test void dbcDecode() {
        int exit = Main.run("dbc", "decode", "--dbc", dbc.toString());
        assertRefusedAfterLittle("vgate dbc decode", exit);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("BMS_Temp"), out.toString(StandardCharsets.UTF_8)); // line 1 kept
    }

    @Test void rulesReplay() {
        assertRefusedAfterLittle("vgate rules replay", Main.run("rules", "replay", "--dbc", dbc.toString()));
    }

    @Test void telemetryPack() {
        assertRefusedAfterLittle("vgate telemetry pack", Main.run("telemetry", "pack", "--dbc", dbc.toString()));
    }
}
