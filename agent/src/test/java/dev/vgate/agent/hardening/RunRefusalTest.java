package dev.vgate.agent.hardening;

import dev.vgate.agent.cli.VgateCommand;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 18, cases 2 and 10 through {@code vgate run} itself: a rules file over its memory budget and a broken
 * telemetry policy stop the daemon at start-up with exit 1 and one line per problem naming the input (before,
 * the first crashed it with OutOfMemoryError and the second left telemetry retrying forever).
 */
class RunRefusalTest {
    @TempDir Path dir;

    @Test void runRefusesAtStartUpWithOneLinePerProblem() throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        StringBuilder rules = new StringBuilder("rules:\n");
        for (int k = 0; k < 20; k++) {
            rules.append("  - name: r").append(k).append("\n    when: BMS_Temp > ").append(k)
                    .append("\n    rate_limit: { max: 1000000, per: 1h }\n    actions: [ { alert: { severity: info } } ]\n");
        }
        Files.writeString(dir.resolve("rules.yaml"), rules);
        Files.writeString(dir.resolve("policy.yaml"), "version: 1\ndefault: {mode: sometimes}\n");
        Path config = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: VGATE0TEST0000001
                state_dir: state
                buses: [{name: powertrain, kind: virtual, interface: can0, dbc: demo.dbc}]
                mqtt: {url: "tcp://127.0.0.1:1"}
                rules: rules.yaml
                telemetry: {policy: policy.yaml}
                status: {file: %s}
                """.formatted(dir.resolve("status.json")));
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = VgateCommand.daemonCommandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("run", "--config", config.toString());
        assertEquals(1, code);
        String[] lines = err.toString().strip().split("\n");
        assertEquals(2, lines.length, err.toString());
        java.util.List<String> sorted = java.util.Arrays.stream(lines).sorted().toList(); // "rules" before "telemetry"
        assertTrue(sorted.get(0).startsWith("vgate run: rules " + dir.resolve("rules.yaml")) && sorted.get(0).contains("over the budget"), sorted.get(0));
        assertTrue(sorted.get(1).startsWith("vgate run: telemetry.policy: ") && sorted.get(1).contains("mode 'sometimes'"), sorted.get(1));
        assertFalse(Files.exists(dir.resolve("state/telemetry.db")), "nothing started");
    }
}
