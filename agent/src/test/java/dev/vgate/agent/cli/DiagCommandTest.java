package dev.vgate.agent.cli;

import dev.vgate.canbus.VirtualBus;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.KernelIsoTpNetwork;
import dev.vgate.diag.sim.EcuSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code vgate diag} against simulated ECUs on a virtual bus (the same commands run against kernel ISO-TP
 * on vcan in DiagVcanTest): output formats and exit codes 0 / 1 / 2.
 */
class DiagCommandTest {
    private final VirtualBus bus = new VirtualBus("vcan9");
    private EcuSimulator engine, gearbox;
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    @BeforeEach void start() throws Exception {
        DiagCommand.networks = iface -> ChannelIsoTpNetwork.on(bus);
        engine = new EcuSimulator(ChannelIsoTpNetwork.on(bus), 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, true);
        gearbox = new EcuSimulator(ChannelIsoTpNetwork.on(bus), 0x7E1, 0x7E9, IsoTpOptions.DEFAULT, true);
        engine.dtcs.add(new EcuSimulator.SimDtc(0x0A7E00, 0x2F, EcuSimulator.snapshot(1, 0xF40C, new byte[] {0x1A, (byte) 0xF8}), null));
        engine.dtcs.add(new EcuSimulator.SimDtc(0x523400, 0x08, null, null));
        engine.dtcs.add(new EcuSimulator.SimDtc(0x800100, 0x24, null, null));
        engine.dtcs.add(new EcuSimulator.SimDtc(0xC10000, 0x09, null, null));
        engine.pids.put(0x0C, new byte[] {0x1A, (byte) 0xFA});
        engine.pids.put(0x0D, new byte[] {0x58});
        engine.pids.put(0x05, new byte[] {(byte) 0x82});
        engine.dids.put(0xF188, "0815-123".getBytes(StandardCharsets.US_ASCII));
        engine.dids.put(0xF189, "1.4.2".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterEach void stop() {
        DiagCommand.networks = KernelIsoTpNetwork::new;
        engine.close();
        gearbox.close();
    }

    private int run(String... args) {
        picocli.CommandLine cl = VgateCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test void dtcReadPrintsOneWorkshopLinePerDtc() {
        assertEquals(0, run("diag", "dtc", "read", "vcan9", "--tx", "7E0", "--rx", "7E8", "--mask", "FF"), err.toString());
        assertEquals("""
                P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear
                C1234 status=0x08 confirmedDTC
                B0001 status=0x24 pendingDTC,testFailedSinceLastClear
                U0100 status=0x09 testFailed,confirmedDTC
                """, out.toString());
    }

    @Test void dtcReadWithFreezeFrameAndMask() {
        assertEquals(0, run("diag", "dtc", "read", "vcan9", "--tx", "7E0", "--rx", "7E8", "--mask", "01", "--freeze"), err.toString());
        assertEquals("""
                P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear
                  freeze #1 engine_rpm=1726 rpm
                U0100 status=0x09 testFailed,confirmedDTC
                """, out.toString());
    }

    @Test void clearThenNothingIsLeft() {
        assertEquals(0, run("diag", "dtc", "clear", "vcan9", "--tx", "7E0", "--rx", "7E8"));
        assertEquals(0, run("diag", "dtc", "read", "vcan9", "--tx", "7E0", "--rx", "7E8", "--count"));
        assertEquals("cleared\n0\n", out.toString());
    }

    @Test void negativeResponseExitsTwoWithItsName() {
        engine.negative.put(0x14, 0x22);
        assertEquals(2, run("diag", "dtc", "clear", "vcan9", "--tx", "7E0", "--rx", "7E8"));
        assertEquals("vgate diag: negative response to service 0x14: conditionsNotCorrect (NRC 0x22)\n", err.toString());
    }

    @Test void silenceExitsOne() {
        assertEquals(1, run("diag", "dtc", "read", "vcan9", "--tx", "7E2", "--rx", "7EA", "--p2", "200"));
        assertEquals("vgate diag: no response to service 0x19 from 7E2->7EA within 200 ms (P2)\n", err.toString());
    }

    @Test void didReadPrintsTheVin() {
        assertEquals(0, run("diag", "did", "read", "vcan9", "--tx", "7E0", "--rx", "7E8", "F190"), err.toString());
        assertEquals("WVGZZZ1TZBW000001\n", out.toString());
        assertEquals(0, run("diag", "did", "read", "vcan9", "--tx", "7E0", "--rx", "7E8", "F189", "F188"), err.toString());
        assertEquals("WVGZZZ1TZBW000001\nF189 ecu_software_version 1.4.2\nF188 ecu_software_number 0815-123\n", out.toString());
        assertEquals(2, run("diag", "did", "read", "vcan9", "--tx", "7E0", "--rx", "7E8", "1234"));
        assertEquals("vgate diag: negative response to service 0x22: requestOutOfRange (NRC 0x31)\n", err.toString());
    }

    @Test void obdReadPrintsNameValueAndUnit() {
        assertEquals(0, run("diag", "obd", "read", "vcan9", "0C", "0D", "05"), err.toString());
        assertEquals("0C engine_rpm 1726.5 rpm\n0D vehicle_speed 88 km/h\n05 coolant_temp 90 degC\n", out.toString());
    }

    @Test void obdPidsListsEachEcu() {
        gearbox.pids.put(0x0D, new byte[] {0x57});
        assertEquals(0, run("diag", "obd", "pids", "vcan9"), err.toString());
        assertEquals("7E8: 05 0C 0D\n7E9: 0D\n", out.toString());
    }

    @Test void obdWithoutAnswersExitsOne() {
        engine.close();
        gearbox.close();
        assertEquals(1, run("diag", "obd", "read", "vcan9", "0C", "--p2", "200"));
        assertEquals("vgate diag: no ECU answered on vcan9\n", err.toString());
    }

    @Test void scanFindsTheEcusThatAnswer() {
        gearbox.silent.add(0x22);
        assertEquals(0, run("diag", "scan", "vcan9", "--p2", "150"), err.toString());
        String text = out.toString();
        assertEquals("""
                7E0/7E8 vin=WVGZZZ1TZBW000001 ecu_software_number=0815-123 ecu_software_version=1.4.2
                7E1/7E9 no answer
                7E2/7EA no answer
                7E3/7EB no answer
                7E4/7EC no answer
                7E5/7ED no answer
                7E6/7EE no answer
                7E7/7EF no answer
                """, text);
    }
}
