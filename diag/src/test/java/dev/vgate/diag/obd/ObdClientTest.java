package dev.vgate.diag.obd;

import dev.vgate.canbus.VirtualBus;
import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.sim.EcuSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OBD-II over functional addressing against two simulated ECUs (engine 7E8, transmission 7E9). */
class ObdClientTest {
    private final VirtualBus bus = new VirtualBus("vbus");
    private final ChannelIsoTpNetwork net = ChannelIsoTpNetwork.on(bus);
    private EcuSimulator engine, gearbox;
    private ObdClient obd;

    @BeforeEach void start() throws Exception {
        engine = new EcuSimulator(net, 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, true);
        gearbox = new EcuSimulator(net, 0x7E1, 0x7E9, IsoTpOptions.DEFAULT, true);
        engine.pids.put(0x0C, new byte[] {0x1A, (byte) 0xFA});   // (256*26+250)/4 = 1726.5 rpm
        engine.pids.put(0x0D, new byte[] {0x58});                // 88 km/h
        engine.pids.put(0x05, new byte[] {(byte) 0x82});         // 130-40 = 90 degC
        engine.pids.put(0x2F, new byte[] {(byte) 0x80});         // 50.2 %
        engine.pids.put(0x42, new byte[] {0x36, (byte) 0xB0});   // 14.0 V
        engine.pids.put(0x10, new byte[] {0x01, (byte) 0xF4});   // 5.0 g/s
        engine.pids.put(0xA6, new byte[] {0x00, 0x01, (byte) 0xE2, 0x40}); // 12345.6 km: needs bitmaps 00..A0
        gearbox.pids.put(0x0D, new byte[] {0x57});
        engine.dtcs.add(new EcuSimulator.SimDtc(0x017100, 0x08, null, null));
        engine.dtcs.add(new EcuSimulator.SimDtc(0x030000, 0x04, null, null));
        gearbox.dtcs.add(new EcuSimulator.SimDtc(0xC10000, 0x08, null, null));
        gearbox.vin = "WVGZZZ1TZBW000002";
        obd = new ObdClient(net, IsoTpOptions.DEFAULT, Duration.ofMillis(500), Duration.ofMillis(100));
    }

    @AfterEach void stop() {
        obd.close();
        engine.close();
        gearbox.close();
    }

    @Test void discoversSupportedPidsThroughEveryBitmap() throws Exception {
        Map<Integer, BitSet> s = obd.supportedPids();
        BitSet e = s.get(0x7E8);
        // 20, 40, 60, 80, A0: the bitmaps themselves are supported PIDs (they say another bitmap follows)
        assertEquals("{5, 12, 13, 16, 32, 47, 64, 66, 96, 128, 160, 166}", e.toString());
        assertEquals("{13}", s.get(0x7E9).toString());
    }

    @Test void decodesStandardPidsWithTheirFormulas() throws Exception {
        List<ObdClient.PidValue> v = obd.read(0x0C, 0x05, 0x2F, 0x42, 0x10, 0xA6);
        assertEquals(List.of("0C engine_rpm 1726.5 rpm", "05 coolant_temp 90 degC", "2F fuel_level 50.196 %",
                "42 control_module_voltage 14 V", "10 maf_rate 5 g/s", "A6 odometer 12345.6 km"), v.stream().map(ObdClient.PidValue::line).toList());
        List<ObdClient.PidValue> speed = obd.read(0x0D);
        assertEquals(2, speed.size(), "both ECUs answer PID 0D");
        assertEquals(0x7E8, speed.get(0).ecu());
        assertEquals(88, speed.get(0).value());
        assertEquals(87, speed.get(1).value());
        assertThrows(IllegalArgumentException.class, () -> obd.read(0x99));
    }

    @Test void readsStoredPendingAndPermanentDtcsPerEcu() throws Exception {
        Map<Integer, List<Dtc>> stored = obd.dtcs(0x03);
        assertEquals(List.of("P0171"), stored.get(0x7E8).stream().map(Dtc::text).toList());
        assertEquals(List.of("U0100"), stored.get(0x7E9).stream().map(Dtc::text).toList());
        assertEquals(List.of("P0300"), obd.dtcs(0x07).get(0x7E8).stream().map(Dtc::text).toList());
        assertEquals(List.of(0x7E8, 0x7E9), obd.clearDtcs());
        assertTrue(obd.dtcs(0x0A).get(0x7E8).isEmpty());
    }

    @Test void readsTheVinFromEveryEcuAsMultiFrameAnswers() throws Exception {
        assertEquals(Map.of(0x7E8, "WVGZZZ1TZBW000001", 0x7E9, "WVGZZZ1TZBW000002"), obd.vin());
    }

    @Test void noEcuAnswersMeansAnEmptyResultWithinP2() throws Exception {
        engine.close();
        gearbox.close();
        long t0 = System.nanoTime();
        assertTrue(obd.read(0x0C).isEmpty());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1500);
    }
}
