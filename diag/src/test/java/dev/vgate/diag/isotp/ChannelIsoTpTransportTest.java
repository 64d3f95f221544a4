package dev.vgate.diag.isotp;

import dev.vgate.canbus.VirtualBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java ISO 15765-2 state machine on a virtual bus: exact frames, both directions, and every kind of bad input. */
class ChannelIsoTpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final VirtualBus bus = new VirtualBus("vbus");
    private final ChannelIsoTpNetwork net = ChannelIsoTpNetwork.on(bus);
    private final IsoTpAddress tester = IsoTpAddress.of(0x7E0, 0x7E8);
    private IsoTpTransport a, b;
    private Frames raw;

    @AfterEach void close() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (raw != null) raw.close();
    }

    static byte[] counting(int n) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) m[i] = (byte) (i + 1);
        return m;
    }

    @Test void messagesOfEveryLengthClassCrossInBothDirections() throws Exception {
        IsoTpOptions o = IsoTpOptions.DEFAULT.withFlowControl(3, 1);
        a = net.open(tester, o);
        b = net.open(tester.reversed(), o);
        for (int n : new int[] {1, 6, 7, 8, 13, 14, 62, 100, 111, 112, 113, 1000, 4095}) {
            byte[] m = counting(n);
            a.send(m);
            assertArrayEquals(m, b.receive(WAIT), n + " bytes tester -> ECU");
            b.send(m);
            assertArrayEquals(m, a.receive(WAIT), n + " bytes ECU -> tester");
        }
    }

    @Test void framesOnTheWireAreIso15765WithPadding() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT);
        b = net.open(tester.reversed(), IsoTpOptions.DEFAULT.withFlowControl(0, 5));
        a.send(counting(3));
        assertEquals("7E0#03010203CCCCCCCC", raw.next(2000));
        assertArrayEquals(counting(3), b.receive(WAIT));
        a.send(counting(10));
        assertEquals("7E0#100A010203040506", raw.next(2000));
        assertEquals("7E8#300005CCCCCCCCCC", raw.next(2000)); // CTS, BS 0, STmin 5 ms
        assertEquals("7E0#210708090ACCCCCC", raw.next(2000));
        assertArrayEquals(counting(10), b.receive(WAIT));
    }

    @Test void withoutPaddingClassicFramesAreAsShortAsTheirData() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT.withPadding(-1));
        a.send(new byte[] {0x22, (byte) 0xF1, (byte) 0x90});
        assertEquals("7E0#0322F190", raw.next(2000));
    }

    @Test void extendedAddressingAnd29BitIds() throws Exception {
        raw = new Frames(bus);
        IsoTpAddress ext = new IsoTpAddress(0x18DA10F1, 0x18DAF110, true, 0x10, 0xF1);
        a = net.open(ext, IsoTpOptions.DEFAULT);
        b = net.open(ext.reversed(), IsoTpOptions.DEFAULT);
        a.send(counting(6));
        assertEquals("18DA10F1#1006010203040506", raw.next(2000)); // AE byte, then a single frame of 6
        assertArrayEquals(counting(6), b.receive(WAIT));
        byte[] m = counting(300);
        b.send(m);
        assertArrayEquals(m, a.receive(WAIT));
        assertTrue(raw.next(2000).startsWith("18DAF110#F1112C"), "first frame after the AE byte");
    }

    @Test void canFdUsesEscapeSingleFramesAndTheEscapeFirstFrameLength() throws Exception {
        raw = new Frames(bus);
        IsoTpOptions fd = IsoTpOptions.DEFAULT.withFd(64).withMaxMessageLength(10000);
        a = net.open(tester, fd);
        b = net.open(tester.reversed(), fd);
        a.send(counting(62));
        String sf = raw.next(2000);
        assertTrue(sf.startsWith("7E0##0003E0102"), sf); // FD, escape SF length 0x3E = 62
        assertArrayEquals(counting(62), b.receive(WAIT));
        byte[] big = counting(5000); // over 4095: FF_DL 0, then a 32-bit length
        a.send(big);
        assertTrue(raw.next(2000).startsWith("7E0##0100000001388"), "escape first frame");
        assertArrayEquals(big, b.receive(WAIT));
        assertThrows(IsoTpException.class, () -> a.send(new byte[10001]));
    }

    @Test void truncatedSingleFrameIsAClearError() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT);
        raw.send("7E8#05AABB");
        IsoTpException e = assertThrows(IsoTpException.class, () -> a.receive(WAIT));
        assertEquals(IsoTpException.Kind.MALFORMED, e.kind());
        assertEquals("truncated single frame from 7E8: announces 5 bytes, carries 2", e.getMessage());
        raw.send("7E8#02AABB");
        assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xBB}, a.receive(WAIT), "the next message is fine");
    }

    @Test void truncatedFirstAndConsecutiveFrames() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT.withPadding(-1));
        raw.send("7E8#1014010203");
        assertEquals("truncated first frame from 7E8: 5 bytes (needs 8)", assertThrows(IsoTpException.class, () -> a.receive(WAIT)).getMessage());
        raw.send("7E8#1014010203040506");
        assertTrue(raw.next(2000).startsWith("7E0#30"), "flow control");
        raw.send("7E8#210708");
        IsoTpException e = assertThrows(IsoTpException.class, () -> a.receive(WAIT));
        assertEquals(IsoTpException.Kind.MALFORMED, e.kind());
        assertEquals("truncated consecutive frame from 7E8: 3 bytes where 8 were expected, after 6 of 20 bytes", e.getMessage());
    }

    @Test void wrongSequenceNumberEndsTheReception() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT);
        raw.send("7E8#1014010203040506", "7E8#2107080910111213", "7E8#2314151617181920");
        IsoTpException e = assertThrows(IsoTpException.class, () -> a.receive(WAIT));
        assertEquals(IsoTpException.Kind.WRONG_SN, e.kind());
        assertEquals("wrong sequence number from 7E8: expected 2, got 3 after 13 of 20 bytes", e.getMessage());
        raw.send("7E8#2214151617181920"); // the late right one is no longer expected: ignored
        assertNull(a.receive(Duration.ofMillis(200)));
    }

    @Test void oversizedFirstFrameGetsOverflowFlowControl() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT.withMaxMessageLength(100));
        raw.send("7E8#1FFF010203040506");
        assertEquals("7E0#320000CCCCCCCCCC", raw.next(2000));
        IsoTpException e = assertThrows(IsoTpException.class, () -> a.receive(WAIT));
        assertEquals(IsoTpException.Kind.OVERFLOW, e.kind());
        assertEquals("incoming message of 4095 bytes from 7E8 exceeds the limit of 100 (flow control OVERFLOW sent)", e.getMessage());
        raw.send("7E8#1000FFFFFFFF0102"); // escape length of 4 GiB: refused before any buffer is allocated
        assertEquals(IsoTpException.Kind.OVERFLOW, assertThrows(IsoTpException.class, () -> a.receive(WAIT)).kind());
    }

    @Test void missingConsecutiveFrameTimesOutWithNCr() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT.withTimeouts(Duration.ofMillis(200), Duration.ofMillis(200)));
        raw.send("7E8#1014010203040506");
        long t0 = System.nanoTime();
        IsoTpException e = assertThrows(IsoTpException.class, () -> a.receive(WAIT));
        assertEquals(IsoTpException.Kind.TIMEOUT_CR, e.kind());
        assertEquals("no consecutive frame from 7E8 for 200 ms (N_Cr) after 6 of 20 bytes", e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
    }

    @Test void silentReceiverTimesOutWithNBs() throws Exception {
        a = net.open(tester, IsoTpOptions.DEFAULT.withTimeouts(Duration.ofMillis(200), Duration.ofMillis(200)));
        IsoTpException e = assertThrows(IsoTpException.class, () -> a.send(counting(20)));
        assertEquals(IsoTpException.Kind.TIMEOUT_BS, e.kind());
        assertEquals("no flow control from 7E8 within 200 ms (N_Bs) after 6 of 20 bytes", e.getMessage());
    }

    @Test void waitStormEndsAfterMaxWaitFramesAndOverflowIsReported() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT.withMaxWaitFrames(5));
        CompletableFuture<IsoTpException> storm = CompletableFuture.supplyAsync(() -> {
            try {
                a.send(counting(50));
                return null;
            } catch (IsoTpException e) {
                return e;
            }
        });
        assertTrue(raw.next(2000).startsWith("7E0#1032"));
        for (int i = 0; i < 50 && !storm.isDone(); i++) {
            raw.send("7E8#310000");
            Thread.sleep(5);
        }
        IsoTpException e = storm.get(5, TimeUnit.SECONDS);
        assertEquals(IsoTpException.Kind.WAIT_LIMIT, e.kind());
        assertEquals("7E8 sent more than 5 WAIT flow controls in a row (N_WFTmax) after 6 of 50 bytes", e.getMessage());

        CompletableFuture<IsoTpException> refused = CompletableFuture.supplyAsync(() -> {
            try {
                a.send(counting(50));
                return null;
            } catch (IsoTpException ex) {
                return ex;
            }
        });
        while (!raw.next(2000).startsWith("7E0#1032")) { /* skip to the new first frame */ }
        raw.send("7E8#320000");
        assertEquals("7E8 refused a message of 50 bytes (flow control OVERFLOW)", refused.get(5, TimeUnit.SECONDS).getMessage());
    }

    @Test void waitFramesThenClearToSendDeliverTheMessage() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT);
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
            try {
                a.send(counting(20));
            } catch (IsoTpException e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(raw.next(2000).startsWith("7E0#1014"));
        raw.send("7E8#310000", "7E8#310000", "7E8#300000");
        send.get(5, TimeUnit.SECONDS);
        assertEquals("7E0#2107080910111213".substring(0, 8), raw.next(2000).substring(0, 8));
        assertTrue(raw.next(2000).startsWith("7E0#22"));
    }

    @Test void unreadMessagesAreBoundedAndCounted() throws Exception {
        raw = new Frames(bus);
        ChannelIsoTpTransport t = (ChannelIsoTpTransport) net.open(tester, IsoTpOptions.DEFAULT);
        a = t;
        for (int i = 0; i < 500; i++) raw.send(String.format("7E8#02%04X", i));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.droppedMessages() < 500 - ChannelIsoTpTransport.INBOX && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(500 - ChannelIsoTpTransport.INBOX, t.droppedMessages());
        // the newest are kept
        assertArrayEquals(new byte[] {0x01, (byte) (500 - ChannelIsoTpTransport.INBOX)}, t.receive(WAIT));
    }

    @Test void unexpectedConsecutiveAndFlowControlFramesAreIgnored() throws Exception {
        raw = new Frames(bus);
        a = net.open(tester, IsoTpOptions.DEFAULT);
        raw.send("7E8#2101020304050607", "7E8#300000", "7E8#0111");
        assertArrayEquals(new byte[] {0x11}, a.receive(WAIT));
    }

    @Test void badLengthsAreRefusedBeforeTheBus() throws Exception {
        a = net.open(tester, IsoTpOptions.DEFAULT);
        assertEquals("empty message: ISO-TP carries 1 to 4095 bytes", assertThrows(IsoTpException.class, () -> a.send(new byte[0])).getMessage());
        assertEquals("message of 4096 bytes exceeds the limit of 4095", assertThrows(IsoTpException.class, () -> a.send(new byte[4096])).getMessage());
        IsoTpTransport f = net.open(IsoTpAddress.sendOnly(0x7DF), IsoTpOptions.DEFAULT);
        assertEquals(IsoTpException.Kind.BAD_LENGTH, assertThrows(IsoTpException.class, () -> f.send(new byte[8])).kind());
        f.close();
    }

    @Test void closeWakesABlockedReceiver() throws Exception {
        a = net.open(tester, IsoTpOptions.DEFAULT);
        CompletableFuture<IsoTpException> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                a.receive(Duration.ofSeconds(60));
                return null;
            } catch (IsoTpException e) {
                return e;
            }
        });
        Thread.sleep(100);
        a.close();
        assertEquals(IsoTpException.Kind.CLOSED, blocked.get(5, TimeUnit.SECONDS).kind());
    }

    @Test void stMinSpacesConsecutiveFrames() throws Exception {
        a = net.open(tester, IsoTpOptions.DEFAULT);
        b = net.open(tester.reversed(), IsoTpOptions.DEFAULT.withFlowControl(0, 20));
        long t0 = System.nanoTime();
        a.send(counting(6 + 7 * 10)); // 10 consecutive frames, 9 gaps of >= 20 ms
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertArrayEquals(counting(76), b.receive(WAIT));
        assertTrue(ms >= 180, "10 CFs at STmin 20 ms took " + ms + " ms");
    }
}
