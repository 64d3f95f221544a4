package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirtualBusTest {

    static CanFrame frame(int id, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int k = 0; k < b.length; k++) b[k] = (byte) bytes[k];
        return new CanFrame().id(id).data(b);
    }

    @Test void framesReachEveryOtherChannelStampedByTheBusClock() throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000_000_000L);
        VirtualBus bus = new VirtualBus("can0", clock::get);
        BlockingQueue<CanFrame> atB = new LinkedBlockingQueue<>(), atC = new LinkedBlockingQueue<>(), atA = new LinkedBlockingQueue<>();
        try (CanChannel a = bus.newChannel(); CanChannel b = bus.newChannel(); CanChannel c = bus.newChannel()) {
            a.start(f -> atA.add(f.copy()));
            b.start(f -> atB.add(f.copy()));
            c.start(f -> atC.add(f.copy()));
            a.send(frame(0x123, 0xDE, 0xAD).timestampNanos(42).iface("ignored"));
            clock.addAndGet(1_000);
            CanFrame fd = new CanFrame().id(0x1ABCDEF0).flags(CanFrame.FLAG_EXTENDED | CanFrame.FLAG_FD | CanFrame.FLAG_BRS).data(new byte[12]);
            a.send(fd);
            for (BlockingQueue<CanFrame> q : List.of(atB, atC)) {
                CanFrame f1 = q.poll(5, TimeUnit.SECONDS);
                assertNotNull(f1);
                assertEquals("(1700000000.000000) can0 123#DEAD", f1.toString());
                CanFrame f2 = q.poll(5, TimeUnit.SECONDS);
                assertNotNull(f2);
                assertEquals("(1700000000.000001) can0 1ABCDEF0##1000000000000000000000000", f2.toString());
            }
            assertNull(atA.poll(200, TimeUnit.MILLISECONDS), "the sender does not hear itself");
            assertEquals(2, a.counters().framesOut());
            assertEquals(2, b.counters().framesIn());
            assertEquals(0, a.counters().framesIn());
        }
    }

    @Test void filterKeepsOnlyListedIds() throws Exception {
        VirtualBus bus = new VirtualBus("can0");
        BlockingQueue<CanFrame> got = new LinkedBlockingQueue<>();
        try (CanChannel tx = bus.newChannel();
             CanChannel rx = bus.newChannel(CanIdFilter.of(List.of(0x100), List.of(0x100)), 16)) {
            rx.start(f -> got.add(f.copy()));
            tx.send(frame(0x100, 1));
            tx.send(frame(0x101, 2));
            tx.send(frame(0x100, 3).flags(CanFrame.FLAG_EXTENDED));
            tx.send(frame(0x200, 4).flags(CanFrame.FLAG_EXTENDED));
            assertEquals("100#01", CandumpFormat.appendFrame(got.poll(5, TimeUnit.SECONDS), new StringBuilder()).toString());
            assertEquals("00000100#03", CandumpFormat.appendFrame(got.poll(5, TimeUnit.SECONDS), new StringBuilder()).toString());
            assertNull(got.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test void aFullQueueDropsAndReportsTheCount() throws Exception {
        VirtualBus bus = new VirtualBus("can0");
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<CanEvent> events = new LinkedBlockingQueue<>();
        AtomicLong received = new AtomicLong();
        try (CanChannel tx = bus.newChannel(); CanChannel rx = bus.newChannel(CanIdFilter.ALL, 4)) {
            rx.start(f -> {
                try {
                    release.await(); // a handler stuck on its first frame
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                received.incrementAndGet();
            }, events::add);
            tx.send(frame(1)); // taken by the stuck handler (or still queued)
            Thread.sleep(100);
            for (int k = 0; k < 20; k++) tx.send(frame(2));
            release.countDown();
            CanEvent e = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(e);
            assertEquals(CanEvent.Type.DROPS, e.type());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.get() + rx.counters().drops() < 21 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(21, received.get() + rx.counters().drops(), "every frame either arrived or was counted");
            assertTrue(rx.counters().drops() >= 16, "drops " + rx.counters().drops());
            assertEquals(e.count(), rx.counters().drops());
        }
    }

    @Test void injectedFramesAndEventsReachStartedChannels() throws Exception {
        VirtualBus bus = new VirtualBus("can0", () -> 7_000_000_000L);
        BlockingQueue<CanFrame> frames = new LinkedBlockingQueue<>();
        BlockingQueue<CanEvent> events = new LinkedBlockingQueue<>();
        try (CanChannel rx = bus.newChannel()) {
            rx.start(f -> frames.add(f.copy()), events::add);
            bus.inject(frame(0x7FF, 0xFF));
            bus.injectEvent(CanEvent.Type.BUS_OFF, "test");
            assertEquals("(7.000000) can0 7FF#FF", frames.poll(5, TimeUnit.SECONDS).toString());
            CanEvent e = events.poll(5, TimeUnit.SECONDS);
            assertEquals(CanEvent.Type.BUS_OFF, e.type());
            assertEquals("can0", e.iface());
        }
    }

    @Test void invalidFramesAndClosedChannelsAreRefused() throws Exception {
        VirtualBus bus = new VirtualBus("can0");
        CanChannel ch = bus.newChannel();
        assertThrows(CanException.class, () -> ch.send(frame(0x800)));
        assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).data(new byte[9])));
        assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).flags(CanFrame.FLAG_FD).data(new byte[9])));
        assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).flags(CanFrame.FLAG_ERROR)));
        ch.start(f -> {});
        assertThrows(CanException.class, () -> ch.start(f -> {}));
        ch.close();
        CanException e = assertThrows(CanException.class, () -> ch.send(frame(1)));
        assertEquals("can0: channel is closed", e.getMessage());
    }
}
