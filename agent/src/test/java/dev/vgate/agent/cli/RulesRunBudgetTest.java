package dev.vgate.agent.cli;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.Main;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.rules.RuleSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vgate rules run} loads rules as {@code vgate run} does (issue 12: one rules assembly): within the
 * {@code rules_memory} budget, through the daemon's loader, so a rules file the daemon refuses is refused by
 * {@code rules run} with the same one line as {@code vgate config check} prints — before a bus is touched
 * (the interfaces named here do not exist).
 */
class RulesRunBudgetTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private Path dbc, rules;

    @BeforeEach void setUp() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        dbc = DemoDbc.writeTo(dir.resolve("demo.dbc"));
        rules = dir.resolve("rules.yaml");
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private Path config(String extra) throws Exception { return config("virtual", "can0", extra); }

    private Path config(String kind, String iface, String extra) throws Exception {
        return VgateYaml.vehicle("VGATE0TEST0000001").bus("powertrain", kind, iface, "demo.dbc")
                .rules("rules.yaml").with(extra).writeTo(dir);
    }

    /** The problem lines a command printed on stderr, its own "vgate X Y: " prefix removed. */
    private List<String> problems(String prefix, String... args) {
        err.reset();
        int rc = Main.run(args);
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(VgateCommand.EXIT_REJECTED, rc, String.join(" ", args) + " must refuse: " + text);
        List<String> lines = text.lines().toList();
        for (String l : lines) assertTrue(l.startsWith(prefix), "'" + l + "' does not start with " + prefix);
        return lines.stream().map(l -> l.substring(prefix.length())).toList();
    }

    @Test void rulesOverTheDefaultBudgetAreRefusedWithConfigChecksLine() throws Exception {
        StringBuilder rate = new StringBuilder("rules:\n"); // 20 rate limits of a million: far over 8 MiB
        for (int k = 0; k < 20; k++) {
            rate.append("  - name: r").append(k).append("\n    when: 'BMS_Temp > ").append(k)
                    .append("'\n    rate_limit: { max: 1000000, per: 1h }\n    actions: [ { alert: { severity: info } } ]\n");
        }
        Files.writeString(rules, rate.toString());
        Path config = config("");
        List<String> check = problems("vgate config check: ", "config", "check", "--config", config.toString());
        assertEquals(1, check.size(), check.toString());
        assertTrue(check.get(0).startsWith("rules " + rules + ": "), check.get(0));
        assertEquals(1, check.get(0).split(java.util.regex.Pattern.quote(rules.toString()), -1).length - 1, "the file named once: " + check.get(0));
        assertEquals(check, problems("vgate rules run: ", "rules", "run", "--config", config.toString()));
        // without a configuration there are no telemetry collectors (and no pre-trigger rings) to share the budget with
        assertOverBudget(problems("vgate rules run: ", "rules", "run", "--iface", "nosuchcan0", "--dbc", dbc.toString(),
                "--rules", rules.toString()));
    }

    @Test void theConfigurationsRulesMemoryIsTheBudgetOfRulesRun() throws Exception {
        Files.writeString(rules, RuleSet.defaultRulesText()); // fits the default budget, not 64 KiB
        assertEquals(0, Main.run("config", "check", "--config", config("").toString()), err.toString(StandardCharsets.UTF_8));
        Path config = config("rules_memory: 64KiB\n");
        List<String> check = problems("vgate config check: ", "config", "check", "--config", config.toString());
        assertEquals(1, check.size(), check.toString());
        assertTrue(check.get(0).startsWith("rules " + rules + ": ") && check.get(0).contains("memory"), check.get(0));
        assertEquals(check, problems("vgate rules run: ", "rules", "run", "--config", config.toString()));
        // the same budget given on the command line
        assertOverBudget(problems("vgate rules run: ", "rules", "run", "--iface", "nosuchcan0", "--dbc", dbc.toString(),
                "--rules", rules.toString(), "--rules-memory", "64KiB"));
    }

    @Test void withinItsBudgetRulesRunGetsToTheBus() throws Exception {
        Files.writeString(rules, RuleSet.defaultRulesText());
        err.reset();
        int rc = Main.run("rules", "run", "--config", config("socketcan", "nosuchcan0", "").toString(), "--duration", "1s");
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, e); // the rules loaded; the missing interface is what fails
        assertTrue(e.contains("nosuchcan0"), e);
        assertFalse(e.contains("rules " + rules), e);
    }

    private void assertOverBudget(List<String> lines) {
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("rules " + rules + ": rule ") && lines.get(0).contains("over the budget"), lines.get(0));
    }
}
