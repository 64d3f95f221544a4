package dev.vgate.agent.daemon;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.command.CommandStack;
import dev.vgate.command.exec.CommandFailedException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.ota.OtaListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stand-ins of the parts a configuration leaves out (rules, diagnostics, commands, OTA): the daemon wires them
 * like the real parts, and they behave as "not configured" did when those parts were null — not supervised nor
 * listed in the status, the commands they would take refused NOT_SUPPORTED, no signal held for absent rules.
 */
class AbsentPartsTest {
    @TempDir Path dir;

    @Test void theSupervisorNeitherRunsNorListsAnAbsentPart() throws Exception {
        Supervisor s = new Supervisor().add(OptionalPart.absent("ota")).add(EdgeRules.NONE).add(new Service() {
            @Override public String name() { return "bus"; }

            @Override public void start() { }

            @Override public void stop() { }
        });
        s.startAll();
        assertEquals(List.of("bus"), List.copyOf(s.status().keySet()));
        assertTrue(s.allHealthy());
        assertThrows(IllegalArgumentException.class, () -> s.state("ota"));
        s.stopAll(Duration.ofSeconds(1));
    }

    @Test void anAbsentPartLeavesTheCommandsItWouldTakeRefused() {
        CommandStack.Sinks sinks = OptionalPart.absent("diag").wire(OptionalPart.absent("ota").wire(CommandStack.Sinks.refusing()));
        CommandFailedException e = assertThrows(CommandFailedException.class, () -> sinks.ota().start(new byte[0]));
        assertEquals("NOT_SUPPORTED", e.code());
        assertSame(CommandStack.Sinks.refusing().diag(), sinks.diag());
    }

    @Test void aPipelineWithoutRulesPassesEverySignalOn() throws Exception {
        DbcDatabase charging;
        try (InputStream in = TwoBusFixture.class.getResourceAsStream("charging.dbc")) {
            charging = DbcDatabase.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "charging.dbc");
        }
        LastKnownValues values = new LastKnownValues(List.of(charging));
        BusPipeline p = new BusPipeline("charging", List.of(charging), values, BusPipeline.RulesBinding.NONE);
        p.onFrame(TwoBusFixture.evseStatus(80).timestampNanos(1_000_000_000L));
        assertEquals(80, values.latest("CableTemp").orElseThrow().value(), 1e-9);
        assertEquals(30, values.latest("ChargerTemp").orElseThrow().value(), 1e-9);
        assertEquals(1L, p.status().get("decoded"));
    }

    @Test void aDaemonWithoutOptionalSectionsRunsOnlyItsOwnParts() throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Path config = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: TEST0ABSENTPARTS1
                state_dir: state
                buses:
                  - name: powertrain
                    kind: virtual
                    interface: can0
                    dbc: demo.dbc
                mqtt:
                  url: tcp://127.0.0.1:1
                status:
                  file: %s
                """.formatted(dir.resolve("run/status.json")));
        try (VgateDaemon daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC(),
                new VgateDaemon.Hooks(Map.of("powertrain", new VirtualBus("can0")), OtaListener.NONE))) {
            daemon.start();
            assertEquals(List.of("mqtt", "telemetry", "bus:powertrain", "status"), List.copyOf(daemon.supervisor().status().keySet()));
            @SuppressWarnings("unchecked") Map<String, Map<String, Object>> live = (Map<String, Map<String, Object>>) daemon.status().get("config");
            assertEquals(false, live.get("rules").get("updatable"), "no rules: a rules update is NOT_SUPPORTED");
            assertEquals(true, live.get("collection_policy").get("updatable"));
            assertNull(daemon.otaService());
            assertNull(daemon.diag());
            assertNull(daemon.commands());
        }
    }
}
