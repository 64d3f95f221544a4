package dev.vgate.diag.uds;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CanIdFilter;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;
import dev.vgate.diag.sim.EcuSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UDS client against the simulated ECU on a virtual bus (the same exchanges run over kernel ISO-TP in the vcan tests). */
class UdsClientTest {
    private final VirtualBus bus = new VirtualBus("vbus");
    private final ChannelIsoTpNetwork net = ChannelIsoTpNetwork.on(bus);
    private EcuSimulator ecu;
    private IsoTpTransport transport;
    private UdsClient uds;

    static final byte[] FREEZE = EcuSimulator.snapshot(1, 0xF40C, new byte[] {0x1A, (byte) 0xF8}, 0xF40D, new byte[] {0x58},
            0xF405, new byte[] {(byte) 0x82});

    @BeforeEach void start() throws Exception {
        ecu = new EcuSimulator(net, 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, false);
        ecu.dtcs.add(new EcuSimulator.SimDtc(0x0A7E00, 0x2F, FREEZE, new byte[] {0x01, 0x05, 0x10}));
        ecu.dtcs.add(new EcuSimulator.SimDtc(0xC10000, 0x08, null, null));
        ecu.dtcs.add(new EcuSimulator.SimDtc(0x523400, 0x04, null, null));
        transport = net.open(IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT);
        uds = new UdsClient(transport, DidTable.standard(), UdsClient.Timing.DEFAULT.withP2(Duration.ofMillis(500), Duration.ofMillis(2000)));
    }

    @AfterEach void stop() {
        uds.close();
        transport.close();
        ecu.close();
    }

    @Test void readsTheVinAndVersionsByDid() throws Exception {
        ecu.dids.put(0xF189, "SW 1.2.3".getBytes(StandardCharsets.US_ASCII));
        assertEquals("WVGZZZ1TZBW000001", new String(uds.readDid(0xF190), StandardCharsets.US_ASCII));
        Did sw = uds.dids().get(0xF189);
        assertEquals("SW 1.2.3", sw.format(uds.readDid(0xF189)));
        UdsException e = assertThrows(UdsException.class, () -> uds.readDid(0x1234));
        assertEquals("requestOutOfRange", e.nrcName());
        assertEquals("negative response to service 0x22: requestOutOfRange (NRC 0x31)", e.getMessage());
    }

    @Test void readsDtcsByStatusMaskWithCount() throws Exception {
        assertEquals(3, uds.readDtcCount(0xFF).count());
        assertEquals(2, uds.readDtcCount(0x08).count());
        List<Dtc> all = uds.readDtcs(0xFF);
        assertEquals(List.of("P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear",
                "U0100 status=0x08 confirmedDTC", "C1234 status=0x04 pendingDTC"), all.stream().map(Dtc::line).toList());
        assertEquals(List.of("P0A7E", "C1234"), uds.readDtcs(0x04).stream().map(Dtc::text).toList());
    }

    @Test void readsTheFreezeFrameSplitByDidAndTheExtendedData() throws Exception {
        List<UdsClient.Snapshot> s = uds.readSnapshots(0x0A7E00, 0xFF);
        assertEquals(1, s.size());
        assertEquals(1, s.get(0).record());
        assertEquals(List.of("engine_rpm=1726 rpm", "vehicle_speed=88 km/h", "coolant_temp=90 degC"),
                s.get(0).values().stream().map(UdsClient.DidValue::text).toList());
        Map<Integer, byte[]> ext = uds.readExtendedData(0x0A7E00, 0x01);
        assertArrayEquals(new byte[] {0x05, 0x10}, ext.get(1));
        assertEquals("requestOutOfRange", assertThrows(UdsException.class, () -> uds.readSnapshots(0x123456, 0xFF)).nrcName());
    }

    @Test void clearsDtcs() throws Exception {
        uds.clearDtcs(0xFFFFFF);
        assertEquals(List.of(), uds.readDtcs(0xFF));
        ecu.negative.put(0x14, 0x22);
        UdsException e = assertThrows(UdsException.class, () -> uds.clearDtcs(0xFFFFFF));
        assertEquals(UdsException.Kind.NEGATIVE_RESPONSE, e.kind());
        assertEquals("conditionsNotCorrect", e.nrcName());
    }

    @Test void responsePendingExtendsTheWaitBeyondP2() throws Exception {
        // three pendings 300 ms apart: 900 ms in all, beyond P2 (500 ms) but within P2* (2 s) after each
        ecu.pending.put(0x19, 3);
        ecu.pendingDelay = Duration.ofMillis(300);
        long t0 = System.nanoTime();
        assertEquals(3, uds.readDtcs(0xFF).size());
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 850);
    }

    @Test void tooManyPendingsOrSilenceEndWithAClearError() throws Exception {
        UdsClient strict = new UdsClient(transport, DidTable.standard(), new UdsClient.Timing(Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(2), 2));
        ecu.pending.put(0x19, 5);
        ecu.pendingDelay = Duration.ofMillis(50);
        UdsException e = assertThrows(UdsException.class, () -> strict.readDtcs(0xFF));
        assertEquals("service 0x19: still pending after 2 response-pending answers from 7E0->7E8", e.getMessage());
        Thread.sleep(400); // let the simulator finish its answer
        ecu.silent.add(0x22);
        long t0 = System.nanoTime();
        UdsException silent = assertThrows(UdsException.class, () -> strict.readDid(0xF190));
        assertEquals(UdsException.Kind.NO_RESPONSE, silent.kind());
        assertEquals("no response to service 0x22 from 7E0->7E8 within 300 ms (P2)", silent.getMessage());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
        strict.close();
    }

    @Test void testerPresentKeepsANonDefaultSessionAlive() throws Exception {
        CanChannel spy = bus.newChannel(CanIdFilter.of(List.of(0x7E0), List.of()), 1000);
        AtomicInteger keepAlives = new AtomicInteger();
        spy.start(f -> {
            if (f.length() >= 3 && f.data()[0] == 0x02 && f.data()[1] == 0x3E && (f.data()[2] & 0xFF) == 0x80) keepAlives.incrementAndGet();
        });
        UdsClient fast = new UdsClient(transport, DidTable.standard(), new UdsClient.Timing(Duration.ofMillis(500), Duration.ofMillis(2000), Duration.ofMillis(100), 10));
        fast.sessionControl(UdsClient.SESSION_EXTENDED);
        assertEquals(3, ecu.session);
        Thread.sleep(650);
        int during = keepAlives.get();
        assertTrue(during >= 3, "TesterPresent sent " + during + " times in 650 ms at 100 ms");
        fast.sessionControl(UdsClient.SESSION_DEFAULT);
        int after = keepAlives.get();
        Thread.sleep(400);
        assertEquals(after, keepAlives.get(), "no TesterPresent in the default session");
        fast.close();
        spy.close();
        assertEquals(0, ecu.errors.size(), ecu.errors.toString());
        CanFrame unused = new CanFrame();
        assertEquals(0, unused.length());
    }

    @Test void unsupportedServiceIsNamed() throws Exception {
        UdsException e = assertThrows(UdsException.class, () -> uds.request(new byte[] {0x31, 0x01, 0x02, 0x03}));
        assertEquals("negative response to service 0x31: serviceNotSupported (NRC 0x11)", e.getMessage());
    }
}
