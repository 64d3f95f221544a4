package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.daemon.VgateDaemon;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.KernelIsoTpNetwork;
import dev.vgate.diag.sim.EcuSimulator;
import dev.vgate.diag.vcan.VcanIsoTp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code vgate diag} and {@code vgate run}'s diagnostics over the kernel's ISO-TP on vcan1, against the ECU
 * simulator on kernel ISO-TP sockets (run by scripts/vcan-tests).
 */
@Tag("vcan")
class DiagVcanTest {
    private static final String IF = "vcan1";

    @BeforeEach void need() { VcanIsoTp.assumeVcanWithIsoTp(); }

    private static EcuSimulator ecu() throws Exception {
        EcuSimulator ecu = new EcuSimulator(new KernelIsoTpNetwork(IF), 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, true);
        ecu.dtcs.add(new EcuSimulator.SimDtc(0x0A7E00, 0x2F, EcuSimulator.snapshot(1, 0xF40C, new byte[] {0x1A, (byte) 0xF8},
                0xF40D, new byte[] {0x58}, 0xF405, new byte[] {(byte) 0x82}), null));
        ecu.dtcs.add(new EcuSimulator.SimDtc(0xC10000, 0x08, null, null));
        ecu.pids.put(0x0C, new byte[] {0x1A, (byte) 0xFA});
        ecu.pids.put(0x0D, new byte[] {0x58});
        ecu.pids.put(0x05, new byte[] {(byte) 0x82});
        return ecu;
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        picocli.CommandLine cl = VgateCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test void workshopCommandsOverKernelIsoTp() throws Exception {
        try (EcuSimulator ecu = ecu()) {
            String[] read = run("diag", "dtc", "read", IF, "--tx", "7E0", "--rx", "7E8", "--mask", "FF", "--freeze");
            System.out.println("$ vgate diag dtc read " + IF + " --tx 7E0 --rx 7E8 --mask FF --freeze   (exit " + read[0] + ")\n" + read[1]);
            assertEquals("0", read[0], read[2]);
            assertEquals("""
                    P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear
                      freeze #1 engine_rpm=1726 rpm vehicle_speed=88 km/h coolant_temp=90 degC
                    U0100 status=0x08 confirmedDTC
                    """, read[1]);
            String[] vin = run("diag", "did", "read", IF, "--tx", "7E0", "--rx", "7E8", "F190");
            assertEquals("WVGZZZ1TZBW000001\n", vin[1], vin[2]);
            String[] obd = run("diag", "obd", "read", IF, "0C", "0D", "05");
            System.out.println("$ vgate diag obd read " + IF + " 0C 0D 05   (exit " + obd[0] + ")\n" + obd[1]);
            assertEquals("0C engine_rpm 1726.5 rpm\n0D vehicle_speed 88 km/h\n05 coolant_temp 90 degC\n", obd[1], obd[2]);
            String[] clear = run("diag", "dtc", "clear", IF, "--tx", "7E0", "--rx", "7E8");
            String[] after = run("diag", "dtc", "read", IF, "--tx", "7E0", "--rx", "7E8");
            System.out.println("$ vgate diag dtc clear ... (exit " + clear[0] + ") " + clear[1] + "$ vgate diag dtc read ... (exit " + after[0] + "): "
                    + (after[1].isEmpty() ? "no DTCs" : after[1]));
            assertEquals("0", clear[0], clear[2]);
            assertEquals("", after[1]);
            ecu.negative.put(0x14, 0x22);
            String[] refused = run("diag", "dtc", "clear", IF, "--tx", "7E0", "--rx", "7E8");
            assertEquals("2", refused[0]);
            assertEquals("vgate diag: negative response to service 0x14: conditionsNotCorrect (NRC 0x22)\n", refused[2]);
        }
        String[] none = run("diag", "dtc", "read", IF, "--tx", "7E0", "--rx", "7E8", "--p2", "300");
        assertEquals("1", none[0], "nobody answers now: " + none[2]);
    }

    @Test void vgateRunPollsObdIntoTelemetryAndReportsANewDtcOverKernelIsoTp(@TempDir Path dir) throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: TEST0DIAGVCAN0001
                state_dir: state
                buses:
                  - name: powertrain
                    interface: %s
                    dbc: demo.dbc
                mqtt:
                  url: tcp://127.0.0.1:1
                status:
                  file: %s
                diag:
                  bus: powertrain
                  p2: 2s
                  ecus:
                    - name: engine
                      request_id: 0x7E0
                      response_id: 0x7E8
                  obd:
                    pids: [0C, 0D, 05]
                    interval: 500ms
                  dtc:
                    interval: 2s
                """.formatted(IF, dir.resolve("run/status.json")));
        try (EcuSimulator ecu = ecu()) {
            VgateDaemon daemon = new VgateDaemon(ConfigLoader.load(dir.resolve("vgate.yaml")), Clock.systemUTC());
            try {
                daemon.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (daemon.lastValues().latest("coolant_temp").isEmpty() || dtcEvents(daemon) < 1) {
                    if (System.nanoTime() > deadline) fail("no OBD values or DTC event: " + daemon.supervisor().status().get("diag"));
                    Thread.sleep(50);
                }
                assertEquals(1726.5, daemon.lastValues().latest("engine_rpm").get().value(), 1e-9);
                @SuppressWarnings("unchecked")
                Map<String, Object> telemetry = (Map<String, Object>) daemon.supervisor().status().get("telemetry");
                System.out.println("vgate run over kernel ISO-TP: diag " + daemon.supervisor().status().get("diag") + ", telemetry " + telemetry);
            } finally {
                daemon.stop();
            }
        }
        assertEquals("engine 0A7E00 2F\nengine C10000 08\n", Files.readString(dir.resolve("state/diag/dtcs.txt")));
    }

    private static long dtcEvents(VgateDaemon d) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) d.supervisor().status().get("diag");
        return m == null ? 0 : ((Number) m.getOrDefault("dtc_events", 0L)).longValue();
    }

}
