package dev.vgate.diag.vcan;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.canbus.Vcan;
import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;
import dev.vgate.diag.isotp.KernelIsoTpNetwork;
import dev.vgate.diag.obd.ObdClient;
import dev.vgate.diag.sim.EcuSimulator;
import dev.vgate.diag.uds.DidTable;
import dev.vgate.diag.uds.UdsClient;
import dev.vgate.diag.uds.UdsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Diagnostics over the kernel's ISO-TP (can-isotp) on vcan0: UDS and OBD against the ECU simulator, the
 * Java state machine against the kernel in both roles (and frame for frame the same on the wire), and
 * can-utils' isotpsend/isotprecv/isotpdump as peers nobody here wrote.
 */
@Tag("vcan")
class DiagVcanTest {
    private static final String IF = "vcan0";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final IsoTpNetwork kernel = new KernelIsoTpNetwork(IF);
    private final IsoTpNetwork userSpace = ChannelIsoTpNetwork.onSocketCan(IF);

    /** The variants of the must-hold list: classic padded and not, CAN FD, 29-bit ids, extended addressing. */
    private record Variant(String name, IsoTpAddress tester, IsoTpOptions options) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("classic, padded", IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT),
            new Variant("classic, unpadded, BS 2, STmin 1", IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT.withPadding(-1).withFlowControl(2, 1)),
            new Variant("CAN FD 64", IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT.withFd(64)),
            new Variant("29-bit", IsoTpAddress.of(0x18DA10F1, 0x18DAF110), IsoTpOptions.DEFAULT),
            new Variant("extended addressing", IsoTpAddress.of(0x6F1, 0x612).withExtendedAddressing(0x12, 0xF1), IsoTpOptions.DEFAULT));

    @BeforeEach void need() { VcanIsoTp.assumeVcanWithIsoTp(); }

    private static EcuSimulator simulator(IsoTpNetwork net, Variant v) throws IsoTpException {
        EcuSimulator ecu = new EcuSimulator(net, v.tester().reversed(), v.options(), false);
        ecu.dtcs.add(new EcuSimulator.SimDtc(0x0A7E00, 0x2F, EcuSimulator.snapshot(1, 0xF40C, new byte[] {0x1A, (byte) 0xF8},
                0xF40D, new byte[] {0x58}, 0xF405, new byte[] {(byte) 0x82}, 0xF442, new byte[] {0x36, (byte) 0xB0}), new byte[] {0x01, 0x03}));
        ecu.dtcs.add(new EcuSimulator.SimDtc(0xC10000, 0x08, null, null));
        for (int i = 0; i < 30; i++) ecu.dtcs.add(new EcuSimulator.SimDtc(0x011000 + (i << 8), 0x24, null, null)); // a multi-frame list
        return ecu;
    }

    private static String dtcReadAndClear(IsoTpNetwork testerNet, Variant v) throws Exception {
        try (IsoTpTransport t = testerNet.open(v.tester(), v.options());
             UdsClient uds = new UdsClient(t, DidTable.standard(), UdsClient.Timing.DEFAULT.withP2(Duration.ofSeconds(5), Duration.ofSeconds(10)))) {
            List<Dtc> dtcs = uds.readDtcs(0xFF);
            assertEquals(32, dtcs.size(), v.name());
            assertEquals("P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear", dtcs.get(0).line());
            assertEquals("U0100 status=0x08 confirmedDTC", dtcs.get(1).line());
            List<UdsClient.Snapshot> ff = uds.readSnapshots(0x0A7E00, 0xFF);
            String freeze = ff.get(0).values().stream().map(UdsClient.DidValue::text).toList().toString();
            assertEquals("[engine_rpm=1726 rpm, vehicle_speed=88 km/h, coolant_temp=90 degC, control_module_voltage=14 V]", freeze, v.name());
            uds.clearDtcs(0xFFFFFF);
            assertEquals(0, uds.readDtcCount(0xFF).count());
            return dtcs.get(0).line() + " freeze " + freeze + "; cleared";
        }
    }

    @Test void kernelIsoTpReadsDtcsWithFreezeFrameAndClearsInEveryVariant() throws Exception {
        for (Variant v : VARIANTS) {
            try (EcuSimulator ecu = simulator(kernel, v)) {
                String result = dtcReadAndClear(kernel, v);
                System.out.println("kernel ISO-TP [" + v.name() + "]: " + result);
                assertEquals(List.of(), ecu.errors, v.name());
            }
        }
    }

    @Test void theJavaStateMachineAndTheKernelUnderstandEachOtherInBothRoles() throws Exception {
        for (Variant v : VARIANTS) {
            try (EcuSimulator ecu = simulator(kernel, v)) {
                dtcReadAndClear(userSpace, v); // Java tester, kernel ECU
                assertEquals(List.of(), ecu.errors, v.name());
            }
            try (EcuSimulator ecu = simulator(userSpace, v)) {
                dtcReadAndClear(kernel, v); // kernel tester, Java ECU
                assertEquals(List.of(), ecu.errors, v.name());
            }
            System.out.println("Java ISO-TP <-> kernel ISO-TP [" + v.name() + "]: both roles OK");
        }
    }

    /** Same exchange, once with a kernel sender and once with the Java one: the frames on the wire are identical. */
    @Test void theJavaStateMachinePutsTheSameFramesOnTheWireAsTheKernel() throws Exception {
        for (Variant v : VARIANTS) {
            List<String> byKernel = wire(kernel, kernel, v);
            List<String> byJavaSender = wire(userSpace, kernel, v);
            List<String> byJavaReceiver = wire(kernel, userSpace, v);
            assertEquals(byKernel, byJavaSender, v.name() + ": Java sender vs kernel sender");
            assertEquals(byKernel, byJavaReceiver, v.name() + ": Java receiver (flow control) vs kernel receiver");
            System.out.println("frames identical to the kernel's [" + v.name() + "]: " + byKernel.size() + " frames");
        }
    }

    /** The frames of a 100-byte message from {@code sender} to {@code receiver} (receiver's BS 4, STmin 0). */
    private List<String> wire(IsoTpNetwork sender, IsoTpNetwork receiver, Variant v) throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        IsoTpOptions rxOpts = v.options().withFlowControl(4, 0);
        try (CanChannel spy = SocketCanChannel.open(IF, SocketCanConfig.defaults());
             IsoTpTransport tx = sender.open(v.tester(), v.options());
             IsoTpTransport rx = receiver.open(v.tester().reversed(), rxOpts)) {
            spy.start(f -> seen.add(text(f)));
            byte[] m = new byte[100];
            for (int i = 0; i < m.length; i++) m[i] = (byte) (i * 7);
            tx.send(m);
            assertArrayEquals(m, rx.receive(WAIT));
            Thread.sleep(200);
        }
        return new ArrayList<>(seen);
    }

    /** cansend text; the FD flags nibble's FDF bit (kernels differ in setting it) dropped. */
    private static String text(CanFrame f) {
        return CandumpFormat.appendFrame(f.copy().flags(f.flags() & ~CanFrame.FLAG_FDF), new StringBuilder()).toString();
    }

    @Test void canUtilsIsotpsendReachesUsAndIsotprecvReceivesFromUs() throws Exception {
        for (IsoTpNetwork net : List.of(kernel, userSpace)) {
            String which = net == kernel ? "kernel" : "Java";
            // isotpsend (tester 7E0 -> 7E8) to our receiver
            try (IsoTpTransport ecu = net.open(IsoTpAddress.of(0x7E8, 0x7E0), IsoTpOptions.DEFAULT)) {
                byte[] m = new byte[60];
                for (int i = 0; i < m.length; i++) m[i] = (byte) (0xA0 + i);
                Vcan.runWithInput(VcanIsoTp.hex(m) + "\n", "isotpsend", "-s", "7E0", "-d", "7E8", "-p", "CC", IF);
                assertArrayEquals(m, ecu.receive(WAIT), which + " receiving from isotpsend");
            }
            // our sender to isotprecv (listening as 7E8 <- 7E0)
            try (IsoTpTransport tester = net.open(IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT)) {
                int before = VcanIsoTp.isotpReceivers(IF);
                Process recv = new ProcessBuilder("isotprecv", "-s", "7E8", "-d", "7E0", "-p", "CC", IF).redirectErrorStream(true).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (VcanIsoTp.isotpReceivers(IF) <= before && System.nanoTime() < deadline) Thread.sleep(20);
                byte[] m = new byte[200];
                for (int i = 0; i < m.length; i++) m[i] = (byte) i;
                tester.send(m);
                assertTrue(recv.waitFor(30, TimeUnit.SECONDS), "isotprecv did not finish");
                String got = new String(recv.getInputStream().readAllBytes()).trim();
                assertEquals(VcanIsoTp.hex(m), got, which + " sending to isotprecv");
            }
            System.out.println("can-utils interop with the " + which + " ISO-TP: isotpsend -> vgate 60 bytes, vgate -> isotprecv 200 bytes OK");
        }
    }

    @Test void canUtilsAsTheTesterGetsTheSimulatorsUdsAnswerAndIsotpdumpDecodesIt() throws Exception {
        Variant v = VARIANTS.get(0);
        try (EcuSimulator ecu = simulator(kernel, v)) {
            // line-buffered: isotpdump is stopped by a signal, which would lose a block-buffered stdout
            java.io.File dumpFile = java.io.File.createTempFile("isotpdump", ".txt");
            dumpFile.deleteOnExit();
            Process dump = new ProcessBuilder("stdbuf", "-oL", "isotpdump", "-s", "7E0", "-d", "7E8", "-u", IF)
                    .redirectErrorStream(true).redirectOutput(dumpFile).start();
            Thread.sleep(1000); // isotpdump binds a raw socket: no isotp listing in rcvlist_all to wait for
            int before = VcanIsoTp.isotpReceivers(IF);
            Process recv = new ProcessBuilder("isotprecv", "-s", "7E0", "-d", "7E8", "-p", "CC", IF).redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (VcanIsoTp.isotpReceivers(IF) <= before && System.nanoTime() < deadline) Thread.sleep(20);
            // isotprecv (rx 7E8, tx FC on 7E0) and isotpsend (tx 7E0) make a tester out of can-utils
            Vcan.runWithInput("19 02 FF\n", "isotpsend", "-s", "7E0", "-d", "7E8", "-p", "CC", IF);
            assertTrue(recv.waitFor(30, TimeUnit.SECONDS));
            String answer = new String(recv.getInputStream().readAllBytes()).trim();
            assertTrue(answer.startsWith("59 02 FF 0A 7E 00 2F C1 00 00 08 01 10 00 24"), answer);
            assertEquals(3 + 32 * 4, answer.split(" ").length);
            Thread.sleep(500);
            dump.destroy();
            dump.waitFor(10, TimeUnit.SECONDS);
            String dumped = java.nio.file.Files.readString(dumpFile.toPath());
            assertTrue(dumped.contains("[SF]") && dumped.contains("[FF]") && dumped.contains("[CF]") && dumped.contains("[FC]"), dumped);
            assertTrue(dumped.contains("[SRQ]") && dumped.contains("[PSR]"), "isotpdump -u reads a UDS request and a positive response: " + dumped);
            System.out.println("can-utils tester -> simulator: 0x19 0x02 answered with " + (answer.split(" ").length) + " bytes; isotpdump saw SF/FF/FC/CF");
        }
    }

    @Test void obdOverKernelIsoTpWithTwoEcus() throws Exception {
        try (EcuSimulator engine = new EcuSimulator(kernel, 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, true);
             EcuSimulator gearbox = new EcuSimulator(kernel, 0x7E1, 0x7E9, IsoTpOptions.DEFAULT, true);
             ObdClient obd = new ObdClient(kernel, IsoTpOptions.DEFAULT, Duration.ofSeconds(3), Duration.ofMillis(300))) {
            engine.pids.put(0x0C, new byte[] {0x1A, (byte) 0xFA});
            engine.pids.put(0x0D, new byte[] {0x58});
            gearbox.pids.put(0x0D, new byte[] {0x57});
            gearbox.vin = "WVGZZZ1TZBW000002";
            assertEquals(List.of("0C engine_rpm 1726.5 rpm"), obd.read(0x0C).stream().map(ObdClient.PidValue::line).toList());
            assertEquals(2, obd.read(0x0D).size());
            assertEquals(Map.of(0x7E8, "WVGZZZ1TZBW000001", 0x7E9, "WVGZZZ1TZBW000002"), obd.vin()); // multi-frame from both at once
            System.out.println("OBD over kernel ISO-TP: PID 0C/0D from 7E8+7E9, VIN from both (multi-frame)");
        }
    }

    @Test void kernelErrorsAreClearAndNothingHangs() throws Exception {
        try (IsoTpTransport t = kernel.open(IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT)) {
            // nobody answers flow control: the kernel's N_Bs (1 s)
            IsoTpException e = assertThrows(IsoTpException.class, () -> t.send(new byte[100]));
            assertEquals(IsoTpException.Kind.TIMEOUT_BS, e.kind(), e.getMessage());
            UdsClient uds = new UdsClient(t, DidTable.standard(), UdsClient.Timing.DEFAULT.withP2(Duration.ofMillis(300), Duration.ofSeconds(1)));
            UdsException silent = assertThrows(UdsException.class, () -> uds.readDid(0xF190));
            assertEquals(UdsException.Kind.NO_RESPONSE, silent.kind());
            System.out.println("kernel: " + e.getMessage() + " / " + silent.getMessage());
        }
        IsoTpException noIface = assertThrows(IsoTpException.class, () -> new KernelIsoTpNetwork("vcan77").open(IsoTpAddress.of(0x7E0, 0x7E8), IsoTpOptions.DEFAULT));
        assertTrue(noIface.getMessage().startsWith("no CAN interface vcan77"), noIface.getMessage());
    }
}
