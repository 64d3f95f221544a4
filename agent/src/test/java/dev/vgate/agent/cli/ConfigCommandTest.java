package dev.vgate.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCommandTest {
    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = VgateCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static final String DBC = """
            VERSION ""
            BU_: ECU
            BO_ 256 Status: 8 ECU
             SG_ Speed : 0|16@1+ (0.01,0) [0|655.35] "km/h" Vector__XXX
            """;

    @Test void validFilePrintsTheEffectiveConfigurationWithSecretsMasked() throws Exception {
        Files.writeString(dir.resolve("ev.dbc"), DBC);
        Path f = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: TEST1
                state_dir: state
                buses: [{name: pt, interface: can0, dbc: ev.dbc}]
                mqtt: {url: ssl://broker:8883, username: u, password: hunter2}
                """);
        assertEquals(0, run("config", "check", "--config", f.toString()), err.toString());
        assertTrue(out.toString().contains("vehicle_id = TEST1\n"), out.toString());
        assertTrue(out.toString().contains("mqtt.password = ******\n"), out.toString());
        assertFalse(out.toString().contains("hunter2"));
    }

    @Test void aBrokenDbcIsARejectionNamingTheBus() throws Exception {
        Files.writeString(dir.resolve("ev.dbc"), DBC);
        Files.writeString(dir.resolve("bad.dbc"), "BO_ 256 Status: 8 ECU\n SG_ Speed : 0|16@1+ (0.01 [0|1] \"\" X\n");
        Path f = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: TEST1
                state_dir: state
                buses:
                  - {name: pt, interface: can0, dbc: ev.dbc}
                  - {name: body, interface: can1, dbc: [ev.dbc, bad.dbc]}
                mqtt: {url: ssl://broker:8883}
                """);
        assertEquals(VgateCommand.EXIT_REJECTED, run("config", "check", "--config", f.toString()));
        assertTrue(err.toString().startsWith("vgate config check: buses[1].dbc: "), err.toString());
        assertTrue(err.toString().contains("bad.dbc"), err.toString());
        assertEquals("", out.toString());
    }

    @Test void aRulesFileIsCheckedAgainstTheBusesDbcsAsRunWouldLoadIt() throws Exception {
        Files.writeString(dir.resolve("ev.dbc"), DBC);
        writeRule("Speed > 130 km/h");
        Path f = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: TEST1
                state_dir: state
                buses: [{name: pt, interface: can0, dbc: ev.dbc}]
                mqtt: {url: ssl://broker:8883}
                rules: rules.yaml
                """);
        assertEquals(0, run("config", "check", "--config", f.toString()), err.toString());

        writeRule("Velocity > 130 km/h"); // no such signal in ev.dbc
        assertEquals(VgateCommand.EXIT_REJECTED, run("config", "check", "--config", f.toString()));
        assertTrue(err.toString().startsWith("vgate config check: rules " + dir.resolve("rules.yaml") + ": "), err.toString());
        assertTrue(err.toString().contains("too-fast"), err.toString());
        assertTrue(err.toString().contains("Velocity"), err.toString());
    }

    private void writeRule(String when) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: too-fast
                    when: %s
                    actions:
                      - alert: { severity: warning }
                """.formatted(when));
    }

    @Test void invalidFileIsARejectionListingEveryProblem() throws Exception {
        Path f = Files.writeString(dir.resolve("vgate.yaml"), "vehicle_id: TEST1\nbuses: []\n");
        assertEquals(VgateCommand.EXIT_REJECTED, run("config", "check", "--config", f.toString()));
        // one line per problem, each naming the file (issue 18: every refusal one line naming the input)
        assertEquals("vgate config check: " + f + ": buses: at least one bus is required\n"
                + "vgate config check: " + f + ": mqtt: required: the broker telemetry is uploaded to\n", err.toString());
        assertEquals("", out.toString());
    }
}
