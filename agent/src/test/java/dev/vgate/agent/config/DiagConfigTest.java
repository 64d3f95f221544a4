package dev.vgate.agent.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The diag section: binding with defaults, and each rule with the message a user sees. */
class DiagConfigTest {
    @TempDir Path dir;
    ConfigFixture fx;

    @BeforeEach void setUp() throws IOException {
        fx = new ConfigFixture(dir);
    }

    @Test void bindsWithDefaults() throws Exception {
        VgateConfig c = fx.load(ConfigFixture.MINIMAL + """
                diag:
                  bus: powertrain
                  ecus:
                    - { name: engine, request_id: 0x7E0, response_id: 0x7E8 }
                    - { name: bms, request_id: 0x18DA40F1, response_id: 0x18DAF140 }
                  obd:
                    pids: [0C, 0x0D, 05, 10]
                  dtc: {}
                """);
        DiagConfig d = c.diag();
        assertEquals("powertrain", d.bus());
        assertEquals(List.of(new DiagConfig.Ecu("engine", 0x7E0, 0x7E8), new DiagConfig.Ecu("bms", 0x18DA40F1, 0x18DAF140)), d.ecus());
        assertEquals(List.of(0x0C, 0x0D, 0x05, 0x10), d.obd().pids());
        assertEquals(Duration.ofSeconds(1), d.obd().interval());
        assertEquals("obd", d.obd().busName());
        assertEquals(new DiagConfig.DtcPoll(Duration.ofMinutes(5), 0xFF, true), d.dtc());
        assertEquals(DiagConfig.IsoTp.DEFAULT, d.isotp());
        assertEquals(Duration.ofSeconds(1), d.p2());
        assertNull(fx.load(ConfigFixture.MINIMAL).diag());
    }

    @Test void eachMistakeIsNamed() {
        assertEquals(List.of(
                "diag.bus: no bus named 'chassis'",
                "diag.ecus[0]: request_id and response_id must differ",
                "diag.ecus[1].name: 'engine' is used twice",
                "diag.ecus[1].response_id: required, a CAN id (0x0-0x1FFFFFFF)",
                "diag.isotp.tx_data_length: not a CAN FD length (8, 12, 16, 20, 24, 32, 48, 64)",
                "diag.dids[0]: type must be ascii, hex or unsigned, got 'float'",
                "diag.obd.pids[1]: PID 99 has no formula in vgate (docs/diag.md lists them)",
                "diag.obd.bus_name: 'powertrain' is the name of a CAN bus already",
                "diag.dtc.interval: at least 1s"),
                fx.problems(ConfigFixture.MINIMAL + """
                        diag:
                          bus: chassis
                          isotp: { fd: true, tx_data_length: 30 }
                          ecus:
                            - { name: engine, request_id: 0x7E0, response_id: 0x7E0 }
                            - { name: engine, request_id: 0x7E1 }
                          dids:
                            - { id: 0x0101, name: soc, type: float }
                          obd:
                            pids: [0C, 99]
                            bus_name: powertrain
                          dtc:
                            interval: 500ms
                        """));
        assertEquals(List.of("diag.obd.pids[0]: expected a PID in hex such as 0C, got 'rpm' (line 11)"),
                fx.problems(ConfigFixture.MINIMAL + "diag:\n  bus: powertrain\n  obd:\n    pids: [rpm]\n"));
        assertEquals(List.of("diag.isotp.padding: expected a byte such as 0xCC, or none (line 11)"),
                fx.problems(ConfigFixture.MINIMAL + "diag:\n  bus: powertrain\n  isotp:\n    padding: lots\n"));
    }
}
