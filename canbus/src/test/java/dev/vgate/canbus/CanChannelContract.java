package dev.vgate.canbus;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link CanChannel} promises, run against each implementation (issue 12, contract tests): two
 * channels on one bus; a frame one sends reaches the other (not the sender) with its id, id kind, flags and
 * payload, stamped with the receive time and the channel's name; classic and FD frames (where the
 * implementation supports FD), 11- and 29-bit ids; order kept; a throwing handler does not stop reception;
 * start runs once; after close, send and start fail with a {@link CanException} naming the channel, nothing more
 * is delivered, and close (idempotent) returns promptly even while the receive thread waits for a frame.
 */
abstract class CanChannelContract {
    /** How long a frame may take to arrive (generous: the vcan subclass runs in an emulated VM). */
    static final long ARRIVAL_SECONDS = 30;
    /** How long to wait for a frame that must not arrive. */
    static final long SILENCE_MS = 300;

    private final List<CanChannel> opened = new ArrayList<>();

    /** Two new, unstarted channels on one bus (the same interface). */
    protected abstract CanChannel[] openPair() throws Exception;

    /** Whether the implementation sends and receives CAN FD frames. */
    protected abstract boolean supportsFd();

    private CanChannel[] pair() throws Exception {
        CanChannel[] p = openPair();
        opened.add(p[0]);
        opened.add(p[1]);
        return p;
    }

    @AfterEach void closeAll() {
        for (CanChannel c : opened) c.close();
    }

    private static BlockingQueue<CanFrame> startInto(CanChannel ch) throws CanException {
        BlockingQueue<CanFrame> q = new LinkedBlockingQueue<>();
        ch.start(f -> q.add(f.copy()));
        return q;
    }

    private static CanFrame next(BlockingQueue<CanFrame> q) throws InterruptedException {
        CanFrame f = q.poll(ARRIVAL_SECONDS, TimeUnit.SECONDS);
        assertNotNull(f, "no frame within " + ARRIVAL_SECONDS + " s");
        return f;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) b[k] = (byte) (seed + k * 7);
        return b;
    }

    private static void awaitCount(java.util.function.LongSupplier counter, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ARRIVAL_SECONDS);
        while (counter.getAsLong() != expected && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(expected, counter.getAsLong(), what);
    }

    @Test void aClassicFrameReachesThePeerNotTheSender() throws Exception {
        CanChannel[] p = pair();
        BlockingQueue<CanFrame> atA = startInto(p[0]), atB = startInto(p[1]);
        p[0].send(new CanFrame().id(0x123).data((byte) 0xDE, (byte) 0xAD).timestampNanos(42).iface("ignored"));
        CanFrame f = next(atB);
        assertEquals(0x123, f.id());
        assertFalse(f.isExtended());
        assertFalse(f.isFd());
        assertArrayEquals(new byte[] {(byte) 0xDE, (byte) 0xAD}, f.payload());
        assertEquals(p[1].name(), f.iface(), "frames carry the receiving channel's name");
        assertTrue(f.timestampNanos() > 0 && f.timestampNanos() != 42, "stamped on receipt, not with the sender's timestamp: " + f.timestampNanos());
        assertNull(atA.poll(SILENCE_MS, TimeUnit.MILLISECONDS), "the sender does not receive its own frame");
        assertEquals(1, p[0].counters().framesOut());
        awaitCount(() -> p[1].counters().framesIn(), 1, "frames counted in");
        // an empty frame and the full 8 bytes
        p[0].send(new CanFrame().id(0x7FF).length(0));
        p[0].send(new CanFrame().id(0).data(bytes(8, 1)));
        CanFrame empty = next(atB), full = next(atB);
        assertEquals(0x7FF, empty.id());
        assertEquals(0, empty.length());
        assertArrayEquals(bytes(8, 1), full.payload());
    }

    @Test void extendedIdsKeepAll29BitsAndTheirKind() throws Exception {
        CanChannel[] p = pair();
        startInto(p[0]);
        BlockingQueue<CanFrame> atB = startInto(p[1]);
        p[0].send(new CanFrame().id(0x1ABCDEF0).flags(CanFrame.FLAG_EXTENDED).data((byte) 1));
        p[0].send(new CanFrame().id(0x1FFFFFFF).flags(CanFrame.FLAG_EXTENDED).data((byte) 2));
        p[0].send(new CanFrame().id(0x123).flags(CanFrame.FLAG_EXTENDED).data((byte) 3)); // 29-bit 0x123 is not 11-bit 0x123
        p[0].send(new CanFrame().id(0x123).data((byte) 4));
        CanFrame a = next(atB), b = next(atB), c = next(atB), d = next(atB);
        assertEquals(0x1ABCDEF0, a.id());
        assertTrue(a.isExtended());
        assertEquals(0x1FFFFFFF, b.id());
        assertTrue(b.isExtended());
        assertEquals(0x123, c.id());
        assertTrue(c.isExtended());
        assertEquals(0x123, d.id());
        assertFalse(d.isExtended());
        assertArrayEquals(new byte[] {4}, d.payload());
    }

    @Test void fdFramesKeepTheirLengthPayloadAndBitRateSwitch() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsFd(), "this implementation has no CAN FD");
        CanChannel[] p = pair();
        startInto(p[0]);
        BlockingQueue<CanFrame> atB = startInto(p[1]);
        p[0].send(new CanFrame().id(0x18DAF110).flags(CanFrame.FLAG_EXTENDED | CanFrame.FLAG_FD | CanFrame.FLAG_BRS).data(bytes(64, 9)));
        p[0].send(new CanFrame().id(0x321).flags(CanFrame.FLAG_FD).data(bytes(12, 3)));
        CanFrame big = next(atB), small = next(atB);
        assertTrue(big.isFd() && big.isExtended(), big.toString());
        assertEquals(0x18DAF110, big.id());
        assertEquals(64, big.length());
        assertArrayEquals(bytes(64, 9), big.payload());
        assertTrue((big.flags() & CanFrame.FLAG_BRS) != 0, "bit rate switch kept: " + big);
        assertTrue(small.isFd() && !small.isExtended(), small.toString());
        assertEquals(0x321, small.id());
        assertArrayEquals(bytes(12, 3), small.payload());
        assertEquals(0, small.flags() & CanFrame.FLAG_BRS, "no bit rate switch where none was sent: " + small);
    }

    @Test void framesArriveInTheOrderSent() throws Exception {
        CanChannel[] p = pair();
        startInto(p[0]);
        BlockingQueue<CanFrame> atB = startInto(p[1]);
        int n = 200;
        for (int k = 0; k < n; k++) p[0].send(new CanFrame().id(0x200).data((byte) (k >> 8), (byte) k));
        for (int k = 0; k < n; k++) {
            byte[] d = next(atB).payload();
            assertEquals(k, ((d[0] & 0xFF) << 8) | (d[1] & 0xFF), "frame " + k);
        }
    }

    @Test void aThrowingHandlerDoesNotStopReception() throws Exception {
        CanChannel[] p = pair();
        startInto(p[0]);
        BlockingQueue<CanFrame> atB = new LinkedBlockingQueue<>();
        p[1].start(f -> {
            if (f.id() == 0x666) throw new IllegalStateException("handler bug (expected by the test)");
            atB.add(f.copy());
        });
        p[0].send(new CanFrame().id(0x666).data((byte) 1));
        p[0].send(new CanFrame().id(0x111).data((byte) 2));
        assertEquals(0x111, next(atB).id());
    }

    @Test void startRunsOnce() throws Exception {
        CanChannel[] p = pair();
        startInto(p[0]);
        CanException e = assertThrows(CanException.class, () -> p[0].start(f -> { }));
        assertTrue(e.getMessage().startsWith(p[0].name() + ": "), e.getMessage());
    }

    @Test void afterCloseSendAndStartFailNamingTheChannelAndNothingIsDelivered() throws Exception {
        CanChannel[] p = pair();
        startInto(p[0]);
        BlockingQueue<CanFrame> atB = startInto(p[1]);
        p[0].send(new CanFrame().id(0x100).data((byte) 1));
        assertEquals(0x100, next(atB).id());

        long t0 = System.nanoTime();
        p[1].close(); // its receive thread is waiting for a frame
        long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(closeMs < 3000, "close took " + closeMs + " ms");
        p[1].close(); // idempotent
        p[0].send(new CanFrame().id(0x101).data((byte) 2)); // the bus goes on without the closed channel
        assertNull(atB.poll(SILENCE_MS, TimeUnit.MILLISECONDS), "a closed channel delivers nothing");
        CanException send = assertThrows(CanException.class, () -> p[1].send(new CanFrame().id(0x102)));
        assertTrue(send.getMessage().startsWith(p[1].name() + ": "), send.getMessage());

        p[0].close();
        CanException start = assertThrows(CanException.class, () -> p[0].start(f -> { }));
        assertTrue(start.getMessage().startsWith(p[0].name() + ": "), start.getMessage());
    }

    @Test void aChannelClosedBeforeItStartedCannotStart() throws Exception {
        CanChannel[] p = pair();
        p[0].close();
        assertThrows(CanException.class, () -> p[0].start(f -> { }));
        assertThrows(CanException.class, () -> p[0].send(new CanFrame().id(1)));
        assertNotEquals(null, p[0].counters());
    }
}
