package dev.vgate.agent.hardening;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.cli.VgateCommand;
import dev.vgate.agent.config.ConfigException;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.daemon.DaemonException;
import dev.vgate.agent.daemon.Supervisor;
import dev.vgate.agent.daemon.VgateDaemon;
import dev.vgate.command.TestKeys;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 18, "check equals run": over a corpus of malformed inputs (the crafted cases of the issue plus broken
 * variants of every file a configuration names), {@code vgate config check} and {@code vgate run} agree. When
 * check exits 0, the daemon — built in-process from the same file, as {@code vgate run} builds it — starts and
 * every part that does not need the network is running after start-up; when check refuses, it prints one line
 * per problem naming the input, without stack traces or Java class names, and the daemon refuses to start too.
 */
class CheckEqualsRunTest {
    private static final Pattern JAVA_CLASS = Pattern.compile("\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*\\.[A-Z]\\w*(Exception|Error)");

    @TempDir Path dir;

    /** One corpus entry: what to change in the valid setup, and whether check must refuse it. */
    private record Case(String name, boolean refused, UnaryOperator<String> config, Map<String, String> files) {}

    private static Case ok(String name, UnaryOperator<String> config, Map<String, String> files) { return new Case(name, false, config, files); }

    private static Case bad(String name, UnaryOperator<String> config) { return new Case(name, true, config, Map.of()); }

    private static Case badFile(String name, String file, String content) { return new Case(name, true, c -> c, Map.of(file, content)); }

    private static String rules(String... rules) {
        StringBuilder b = new StringBuilder("rules:\n");
        for (String r : rules) b.append(r);
        return b.toString();
    }

    private static String rule(String name, String when, String extra) {
        return "  - name: " + name + "\n    when: '" + when + "'\n" + extra + "    actions: [ { alert: { severity: info } } ]\n";
    }

    private static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        c.add(ok("the valid setup", x -> x, Map.of()));
        c.add(ok("rules just within their budget", x -> x + "rules_memory: 4MiB\n",
                Map.of("rules.yaml", rules(rule("w", "max(BMS_Temp, 1h) > 60", ""), rule("r", "SoC < 5", "    rate_limit: { max: 10000, per: 1h }\n")))));
        // case 2: passed check, then OOM-killed run
        StringBuilder rate = new StringBuilder("rules:\n");
        for (int k = 0; k < 20; k++) rate.append(rule("r" + k, "BMS_Temp > " + k, "    rate_limit: { max: 1000000, per: 1h }\n"));
        c.add(badFile("20 rate limits of a million", "rules.yaml", rate.toString()));
        StringBuilder windows = new StringBuilder("rules:\n");
        for (int k = 1; k <= 60; k++) windows.append(rule("w" + k, "max(BMS_Temp, " + k + "h) > 60", ""));
        c.add(badFile("60 hour-long windows", "rules.yaml", windows.toString()));
        c.add(bad("a budget too small for the rules", x -> x + "rules_memory: 64KiB\n"));
        // the capture pre-trigger rings (20 bytes a sample per bus collector) count in rules_memory: 4M samples are 80 MB
        c.add(badFile("a 4M-sample pre-trigger ring", "policy.yaml", "version: 1\ndefault: {mode: every}\npre_trigger_samples: 4000000\n"));
        c.add(ok("a pre-trigger ring within the budget", x -> x,
                Map.of("policy.yaml", "version: 1\ndefault: {mode: every}\npre_trigger_samples: 200000\n")));
        // case 8
        c.add(badFile("800 nested parentheses", "rules.yaml", rules(rule("deep", "(".repeat(800) + "SoC > 1" + ")".repeat(800), ""))));
        c.add(badFile("a 4000-term and chain", "rules.yaml", rules(rule("long", String.join(" and ", java.util.Collections.nCopies(4000, "SoC > 1")), ""))));
        c.add(badFile("rules YAML nested 1000 deep", "rules.yaml", "rules: " + "[".repeat(1000) + "]".repeat(1000)));
        c.add(bad("config YAML nested 1000 deep", x -> x + "extra: " + "[".repeat(1000) + "]".repeat(1000) + "\n"));
        c.add(badFile("trust YAML nested 1000 deep", "trust.yaml", "keys: " + "[".repeat(1000) + "]".repeat(1000)));
        c.add(badFile("policy YAML nested 1000 deep", "policy.yaml", "version: 1\nrules: " + "[".repeat(1000) + "]".repeat(1000)));
        // case 9
        c.add(bad("a bus DBC of /dev/zero", x -> x.replace("dbc: demo.dbc", "dbc: /dev/zero")));
        c.add(bad("a rules file of /dev/zero", x -> x.replace("rules: rules.yaml", "rules: /dev/zero")));
        c.add(badFile("a trust key path of /dev/zero", "trust.yaml", trustYaml("/dev/zero")));
        c.add(badFile("a 2 MB rules polygon", "rules.yaml", bigPolygon()));
        // case 10: passed check, then run retried telemetry forever / refused to start
        c.add(badFile("a broken telemetry policy", "policy.yaml", "version: 1\nrules:\n  - match: X\n    mode: sometimes\n"));
        c.add(badFile("a policy with an unknown field", "policy.yaml", "version: 1\ndefault: {mode: every, deadbnd: 1}\n"));
        c.add(badFile("a trust file without root", "trust.yaml", trustYaml("keys/owner-app-1.pub.pem").substring(0,
                trustYaml("keys/owner-app-1.pub.pem").indexOf("root:"))));
        c.add(badFile("a CAN mapping naming a missing message", "can.yaml",
                "dbc: classpath:dev/vgate/dbc/demo/vgate-demo.dbc\ncommands:\n  unlock:\n    message: Nope\n    signals: {}\n"));
        // case 11
        c.add(bad("interval_ms 9.2e15", x -> x) /* replaced below with the policy */);
        c.set(c.size() - 1, badFile("interval_ms 9.2e15", "policy.yaml", "version: 1\nrules:\n  - match: SoC\n    mode: max-rate\n    interval_ms: 9.2e15\n"));
        c.add(bad("broker port 99999", x -> x.replace("tcp://127.0.0.1:1", "tcp://127.0.0.1:99999")));
        c.add(bad("NUL in topic_prefix", x -> x.replace("  url: tcp://127.0.0.1:1\n", "  url: tcp://127.0.0.1:1\n  topic_prefix: \"vgate/a\\0b\"\n")));
        c.add(bad("a 70,000-character client_id", x -> x.replace("  url: tcp://127.0.0.1:1\n", "  url: tcp://127.0.0.1:1\n  client_id: " + "c".repeat(70_000) + "\n")));
        c.add(badFile("a 0-byte DBC", "demo.dbc", ""));
        c.add(badFile("SIG_VALTYPE_ 3", "demo.dbc", "VERSION \"\"\nBU_: A\nBO_ 256 M: 8 A\n SG_ S : 0|32@1+ (1,0) [0|0] \"\" A\nSIG_VALTYPE_ 256 S : 3;\n"));
        // and plain breakage of each file
        c.add(badFile("rules naming an unknown signal", "rules.yaml", rules(rule("u", "NoSuchSignal > 1", ""))));
        c.add(badFile("rules that are not YAML", "rules.yaml", "rules: [unclosed\n"));
        c.add(badFile("a DBC that does not parse", "demo.dbc", "BO_ 256 M: 8 A\n SG_ S : 0|99@1+ (1,0) [0|0] \"\" A\n"));
        c.add(badFile("a trust file with a bad key", "trust.yaml", trustYaml("can.yaml")));
        c.add(badFile("mangled UTF-8 in the policy", "policy.yaml", "version: 1\n# \u0000\n"));
        return c;
    }

    @Test void whatCheckAcceptsRunStartsWithAndWhatCheckRefusesRunRefuses() throws Exception {
        List<String> summary = new ArrayList<>();
        for (Case k : corpus()) {
            Path setup = Files.createDirectories(dir.resolve("case" + summary.size()));
            Path config = writeSetup(setup, k);
            StringWriter out = new StringWriter(), err = new StringWriter();
            picocli.CommandLine cl = VgateCommand.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("config", "check", "--config", config.toString());
            String errText = err.toString();
            assertFalse(errText.contains("\tat ") || errText.contains("Exception in thread"), k.name() + ": a stack trace:\n" + errText);
            assertFalse(JAVA_CLASS.matcher(errText).find(), k.name() + ": a Java class name:\n" + errText);
            if (code == 0) {
                assertFalse(k.refused(), k.name() + ": check accepted what it must refuse");
                assertRunStarts(k, config);
            } else {
                assertEquals(VgateCommand.EXIT_REJECTED, code, k.name() + ": " + errText);
                assertTrue(k.refused(), k.name() + ": check refused a valid setup: " + errText);
                for (String line : errText.strip().split("\n")) {
                    assertTrue(line.startsWith("vgate config check: "), k.name() + ": " + line);
                    assertTrue(line.length() < 1000, k.name() + ": an unbounded line of " + line.length() + " characters");
                }
                assertThrows(Exception.class, () -> new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC()).stop(),
                        k.name() + ": check refused it, so run must refuse it too");
            }
            summary.add(k.name() + " -> " + code);
        }
        assertEquals(corpus().size(), summary.size());
    }

    private static void assertRunStarts(Case k, Path config) throws Exception {
        VgateDaemon daemon;
        try {
            daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC());
        } catch (ConfigException | DaemonException e) {
            throw new AssertionError(k.name() + ": check accepted it but run refused: " + e.getMessage(), e);
        }
        try {
            daemon.start();
            Supervisor s = daemon.supervisor();
            // mqtt connects in the background and commands subscribe once it is up: no broker here
            for (String part : List.of("telemetry", "rules", "bus:powertrain", "status")) {
                assertEquals(Supervisor.State.RUNNING, s.state(part), k.name() + ": part " + part + " did not start: " + s.status().get(part));
            }
        } finally {
            daemon.stop();
        }
    }

    private Path writeSetup(Path setup, Case k) throws Exception {
        DemoDbc.writeTo(setup.resolve("demo.dbc"));
        Files.writeString(setup.resolve("rules.yaml"), RuleSet.defaultRulesText());
        Files.writeString(setup.resolve("policy.yaml"), "version: 1\ndefault: {mode: every}\nrules:\n  - match: SoC\n    mode: max-rate\n    interval_ms: 100\n");
        Path keys = Files.createDirectories(setup.resolve("keys"));
        for (String id : List.of(TestKeys.OWNER, "root-1", "root-2")) PemKeys.writePublic(keys.resolve(id + ".pub.pem"), TestKeys.key(id).publicKey());
        Files.writeString(setup.resolve("trust.yaml"), trustYaml("keys/owner-app-1.pub.pem"));
        Files.writeString(setup.resolve("can.yaml"), "dbc: classpath:dev/vgate/dbc/demo/vgate-demo.dbc\ncommands:\n"
                + "  unlock:\n    message: Body_Command\n    signals: {DoorLockRequest: UNLOCK}\n");
        for (Map.Entry<String, String> f : k.files().entrySet()) Files.writeString(setup.resolve(f.getKey()), f.getValue());
        String config = VgateYaml.vehicle("VGATE0TEST0000001").rules("rules.yaml").with("""
                telemetry:
                  policy: policy.yaml
                commands:
                  trust: trust.yaml
                  can_mapping: can.yaml
                """).text(setup);
        return Files.writeString(setup.resolve("vgate.yaml"), k.config().apply(config));
    }

    private static String trustYaml(String ownerKey) {
        return "version: 1\nkeys:\n  - id: owner-app-1\n    public_key: " + ownerKey + "\n    commands: [lock, unlock]\n"
                + "root:\n  threshold: 1\n  keys:\n    - {id: root-1, public_key: keys/root-1.pub.pem}\n    - {id: root-2, public_key: keys/root-2.pub.pem}\n";
    }

    private static String bigPolygon() {
        StringBuilder poly = new StringBuilder("geofences:\n  big:\n    polygon: [");
        for (int k = 0; poly.length() < 2_000_000; k++) poly.append("[").append(k % 90).append(".123456, 10.654321], ");
        return poly.append("[1, 2]]\n").append(rules(rule("r", "SoC > 1", ""))).toString();
    }

}
