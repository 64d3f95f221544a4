package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RulesCommandTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private InputStream oldIn;
    private Path dbc;

    @BeforeEach void capture() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        dbc = dir.resolve("demo.dbc");
        try (InputStream in = dev.vgate.dbc.DemoDbc.class.getResourceAsStream(dev.vgate.dbc.DemoDbc.RESOURCE)) {
            Files.copy(in, dbc);
        }
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    @Test void checkAcceptsTheDefaultRules() {
        assertEquals(0, Main.run("rules", "check", "--dbc", dbc.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("7 rules valid"), out.toString(StandardCharsets.UTF_8));
    }

    @Test void checkRejectsNamingRuleFieldAndReason() throws Exception {
        Path rules = dir.resolve("r.yaml");
        Files.writeString(rules, "rules:\n  - name: hot\n    when: BMS_Temp > 60\n    actions:\n"
                + "      - can: { message: BMS_Command, signals: { ContactorRequest: SHUT } }\n");
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run("rules", "check", "--dbc", dbc.toString(), "--rules", rules.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("rule 'hot', field 'actions[0].can.signals.ContactorRequest': 'SHUT' is not a value of ContactorRequest"), e);
    }

    @Test void replayPrintsTheIssuesJsonLines() throws Exception {
        Path rules = dir.resolve("r.yaml");
        Files.writeString(rules, "rules:\n  - name: battery-overtemp-cutoff\n    when: BMS_Temp > 60 for 200ms\n    clear: BMS_Temp < 55\n"
                + "    actions:\n      - can: { message: BMS_Command, signals: { ContactorRequest: OPEN }, repeat: 3, period: 10ms }\n"
                + "      - alert: { severity: critical }\n");
        // BMS_Temp raw (0.1 degC): 604, 610, 620 (fires at 0.2), then 530 (clears at 0.4)
        String log = "(1700000000.000000) can0 101#5C02000000000000\n(1700000000.100000) can0 101#6202000000000000\n"
                + "(1700000000.200000) can0 101#6C02000000000000\n(1700000000.400000) can0 101#1202000000000000\n";
        System.setIn(new ByteArrayInputStream(log.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, Main.run("rules", "replay", "--dbc", dbc.toString(), "--rules", rules.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals("{\"t\":1700000000.2,\"rule\":\"battery-overtemp-cutoff\",\"event\":\"fired\",\"frames\":["
                + "\"(1700000000.200000) can0 301#01D0070000000000\",\"(1700000000.210000) can0 301#01D0070000000000\","
                + "\"(1700000000.220000) can0 301#01D0070000000000\"]}\n"
                + "{\"t\":1700000000.4,\"rule\":\"battery-overtemp-cutoff\",\"event\":\"cleared\",\"frames\":[]}\n", o);
    }

    @Test void checkAndReplayTakeSeveralBusesAndBusQualifiedNames() throws Exception {
        Path rules = dir.resolve("r.yaml");
        Files.writeString(rules, "rules:\n  - name: rear-hot\n    when: rear.BMS_Temp > 60\n    actions:\n"
                + "      - can: { message: rear.BMS_Command, signals: { ContactorRequest: OPEN } }\n");
        assertEquals(0, Main.run("rules", "check", "--dbc", "front=" + dbc, "--dbc", "rear=" + dbc, "--rules", rules.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("1 rules valid against front=" + dbc + ", rear=" + dbc), out.toString(StandardCharsets.UTF_8));
        // BMS_Temp 61 degC on the front bus does not fire the rear rule; on the rear bus it does, and the frame goes out on rear
        String log = "(1700000000.000000) front 101#6202000000000000\n(1700000000.100000) rear 101#6202000000000000\n";
        System.setIn(new ByteArrayInputStream(log.getBytes(StandardCharsets.US_ASCII)));
        out.reset();
        assertEquals(0, Main.run("rules", "replay", "--dbc", "front=" + dbc, "--dbc", "rear=" + dbc, "--rules", rules.toString()));
        assertEquals("{\"t\":1700000000.1,\"rule\":\"rear-hot\",\"event\":\"fired\",\"frames\":[\"(1700000000.100000) rear 301#01D0070000000000\"]}\n",
                out.toString(StandardCharsets.UTF_8));
        // unqualified, the name is ambiguous over the two buses: refused as the daemon would refuse it
        Files.writeString(rules, "rules:\n  - name: hot\n    when: BMS_Temp > 60\n    actions:\n      - alert: { severity: info }\n");
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run("rules", "check", "--dbc", "front=" + dbc, "--dbc", "rear=" + dbc, "--rules", rules.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("signal 'BMS_Temp' is ambiguous"), err.toString(StandardCharsets.UTF_8));
    }

    @Test void packsAreListedAndPrinted() {
        assertEquals(0, Main.run("rules", "packs"));
        assertEquals("ev-charging\nbattery-health\nfleet-driving\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, Main.run("rules", "packs", "battery-health"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("sum_rises: SoC"));
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run("rules", "packs", "nope"));
    }

    @Test void runRejectsABadRulesFileBeforeTouchingTheBus() throws Exception {
        Path rules = dir.resolve("r.yaml");
        Files.writeString(rules, "rules:\n  - name: hot\n    when: BMS_Tmp > 60\n    actions:\n      - alert: { severity: critical }\n");
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run("rules", "run", "--iface", "nosuchcan0", "--dbc", dbc.toString(), "--rules", rules.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("vgate rules run: ") && e.contains("rule 'hot'") && e.contains("BMS_Tmp"), e);
    }

    @Test void runRejectsAnAlertJournalThatCannotBeOpened() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        assertEquals(VgateCommand.EXIT_REJECTED, Main.run("rules", "run", "--iface", "nosuchcan0", "--dbc", dbc.toString(),
                "--mqtt", "tcp://127.0.0.1:1", "--alert-journal", blocker.resolve("alerts.journal").toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("vgate rules run: alert journal ") && e.contains("file/alerts.journal: cannot open: a file is in the way"), e);
    }

    @Test void runOnAMissingInterfaceFailsWithItsName() {
        int rc = Main.run("rules", "run", "--iface", "nosuchcan0", "--dbc", dbc.toString(), "--duration", "1s");
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, e);
        assertTrue(e.contains("nosuchcan0"), e);
    }
}
