package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.daemon.TwoBusFixture;
import dev.vgate.agent.daemon.VgateDaemon;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vgate rules run --config} runs the daemon's rules assembly (issue 12): every configured bus with its own
 * DBC, the rules loaded once against all of them. A rule that reads a signal of the second bus, by its qualified
 * name, fires under {@code rules run --config} exactly as often as under {@code vgate run} on the same recording
 * — with the configuration's replay buses, and with socketcan buses replaced by {@code --log}.
 */
class RulesRunConfigTest {
    private static final String RULES = """
            rules:
              - name: cable-hot
                when: charging.EVSE_Status.CableTemp > 60 degC
                actions: [ { alert: { severity: warning } } ]
            """;
    private static final double SPEED = 20;

    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private Path drive;

    @BeforeEach void setUp() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        // a drive recorded on both buses: the cable gets hot twice on the charging bus (can1)
        StringBuilder log = new StringBuilder("(0.000000) can0 123#0011\n");
        int[] cable = {25, 80, 80, 30, 85, 25};
        for (int k = 0; k < cable.length; k++) log.append(TwoBusFixture.evseStatusLine(0.1 * (k + 1), "can1", cable[k]));
        drive = Files.writeString(dir.resolve("drive.log"), log);
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test void aRuleOnTheSecondBusFiresUnderRulesRunAsUnderVgateRun() throws Exception {
        Path config = TwoBusFixture.write(dir, RULES, TwoBusFixture.replay(drive, "can0", SPEED), TwoBusFixture.replay(drive, "can1", SPEED));

        Map<String, Object> daemon = daemonRuleCounters(config, 6);
        assertEquals(2L, ((Number) daemon.get("fired")).longValue(), "vgate run: " + daemon);
        assertEquals(2L, ((Number) daemon.get("cleared")).longValue(), "vgate run: " + daemon);

        List<String> events = rulesRun("rules", "run", "--config", config.toString());
        assertEquals(List.of("fired", "cleared", "fired", "cleared"), events, "rules run --config: " + err);
    }

    @Test void logsReplaceTheConfiguredBusesByInterfaceOrByBus() throws Exception {
        // the vehicle's configuration: SocketCAN buses (not present here); --log replays a recording of them instead
        Path config = TwoBusFixture.write(dir, RULES, TwoBusFixture.socketcan("can0"), TwoBusFixture.socketcan("can1"));
        assertEquals(List.of("fired", "cleared", "fired", "cleared"),
                rulesRun("rules", "run", "--config", config.toString(), "--log", drive.toString(), "--speed", String.valueOf(SPEED)),
                "one log, each bus its interface's lines: " + err);

        // a log of the charging bus recorded on another interface name: every line of it is that bus's
        Path charging = Files.writeString(dir.resolve("charging.log"), Files.readString(drive).replace(" can1 ", " vcan7 ").replace(" can0 ", " vcan7 "));
        assertEquals(List.of("fired", "cleared", "fired", "cleared"),
                rulesRun("rules", "run", "--config", config.toString(), "--log", "charging=" + charging, "--log", "powertrain=" + drive,
                        "--speed", String.valueOf(SPEED)),
                "a log per bus: " + err);
    }

    @Test void theBusesAndDbcsComeFromTheConfiguration() throws Exception {
        Path config = TwoBusFixture.write(dir, RULES, TwoBusFixture.socketcan("can0"), TwoBusFixture.socketcan("can1"));
        int rc = Main.run("rules", "run", "--config", config.toString(), "--dbc", dir.resolve("demo.dbc").toString(), "--log", drive.toString());
        assertEquals(2, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("drop --iface and --dbc"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        rc = Main.run("rules", "run", "--config", config.toString(), "--log", "body=" + drive);
        assertEquals(2, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no bus 'body' in the configuration (buses: [powertrain, charging])"),
                err.toString(StandardCharsets.UTF_8));
    }

    /** The events rules run printed for cable-hot, in order (it ends by itself once the logs have played). */
    private List<String> rulesRun(String... args) {
        out.reset();
        err.reset();
        int rc = Main.run(args);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"rule\":\"cable-hot\""))
                .map(l -> l.contains("\"event\":\"fired\"") ? "fired" : "cleared").toList();
    }

    /** The daemon's counters of cable-hot once its charging bus has handled {@code frames} frames of the replay. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> daemonRuleCounters(Path config, long frames) throws Exception {
        try (VgateDaemon daemon = new VgateDaemon(ConfigLoader.load(config))) {
            daemon.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                Map<String, Object> bus = (Map<String, Object>) daemon.supervisor().status().get("bus:charging");
                if (bus.get("frames") instanceof Number n && n.longValue() >= frames) break;
                if (System.nanoTime() > deadline) throw new AssertionError("the daemon's charging bus did not replay the log: " + bus);
                Thread.sleep(20);
            }
            Map<String, Object> rules = (Map<String, Object>) daemon.supervisor().status().get("rules");
            return (Map<String, Object>) rules.get("cable-hot");
        }
    }
}
