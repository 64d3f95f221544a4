package dev.vgate.agent.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vgate run} parsed by the daemon-only command line behaves exactly as through the whole command tree. */
class DaemonCommandLineTest {

    private static String[] run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test void helpAndErrorsAreTheSameAsThroughTheWholeTree() {
        String[] whole = run(VgateCommand.commandLine(), "run", "--help");
        String[] alone = run(VgateCommand.daemonCommandLine(), "run", "--help");
        assertEquals("0", alone[0]);
        assertTrue(alone[1].startsWith("Usage: vgate run "), alone[1]);
        assertEquals(whole[1], alone[1]);

        whole = run(VgateCommand.commandLine(), "run", "--config", "/nonexistent/vgate.yaml");
        alone = run(VgateCommand.daemonCommandLine(), "run", "--config", "/nonexistent/vgate.yaml");
        assertEquals("1", alone[0]);
        assertTrue(alone[2].startsWith("vgate run: invalid configuration /nonexistent/vgate.yaml"), alone[2]);
        assertEquals(whole[0] + whole[2], alone[0] + alone[2]);

        alone = run(VgateCommand.daemonCommandLine(), "run", "--no-such-option");
        assertEquals("2", alone[0]);
        assertTrue(alone[2].contains("Unknown option: '--no-such-option'"), alone[2]);
    }
}
