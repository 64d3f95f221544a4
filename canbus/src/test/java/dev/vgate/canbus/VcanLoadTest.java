package dev.vgate.canbus;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss and order under load. The VM's CPU is emulated (TCG), so the paced test sends at cangen's
 * 1 ms gap; the flood tests send unpaced on purpose.
 */
@Tag("vcan")
class VcanLoadTest {
    static final int SENTINEL_ID = 0x7FF;

    @BeforeEach void needVcan() { Vcan.assumeInterfaces(); }

    /** Checks that the cangen counter in each payload follows the previous one; counts the gaps. */
    static final class SequenceCheck implements FrameHandler {
        final AtomicLong received = new AtomicLong();
        final AtomicLong missing = new AtomicLong();
        final AtomicLong backwards = new AtomicLong();
        final AtomicLong sentinels = new AtomicLong();
        final long spinNanosPerFrame;
        long next;

        SequenceCheck(long spinNanosPerFrame) { this.spinNanosPerFrame = spinNanosPerFrame; }

        @Override public void onFrame(CanFrame f) {
            if (f.id() == SENTINEL_ID) { sentinels.incrementAndGet(); return; }
            long seq = Vcan.sequence(f);
            if (seq < next) backwards.incrementAndGet();
            else missing.addAndGet(seq - next);
            next = seq + 1;
            if (spinNanosPerFrame > 0) {
                long until = System.nanoTime() + spinNanosPerFrame;
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
            received.incrementAndGet();
        }
    }

    @Test void twentyThousandPacedFramesArriveWithoutLossInOrder() throws Exception {
        SequenceCheck check = new SequenceCheck(0);
        try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults())) {
            ch.start(check);
            Vcan.run("cangen", "vcan0", "-g", "1", "-n", "20000", "-I", "123", "-L", "8", "-D", "i");
            Vcan.await("20000 frames (have " + check.received.get() + ")", () -> check.received.get() >= 20000);
            assertEquals(20000, check.received.get());
            assertEquals(0, check.missing.get(), "frames missing from the sequence");
            assertEquals(0, check.backwards.get(), "frames out of order");
            assertEquals(20000, check.next, "last sequence number + 1");
            assertEquals(0, ch.counters().drops());
            assertEquals(20000, ch.counters().framesIn());
        }
    }

    @Test void anUnpacedFloodOntoATinyBufferCountsEveryDrop() throws Exception {
        int n = 5000;
        SequenceCheck check = new SequenceCheck(200_000); // a handler far slower than the sender
        AtomicLong reportedDrops = new AtomicLong();
        SocketCanConfig tiny = SocketCanConfig.defaults().withReceiveBuffer(4096);
        try (SocketCanChannel ch = SocketCanChannel.open("vcan0", tiny)) {
            ch.start(check, e -> { if (e.type() == CanEvent.Type.DROPS) reportedDrops.addAndGet(e.count()); });
            Vcan.run("cangen", "vcan0", "-g", "0", "-n", Integer.toString(n), "-I", "123", "-L", "8", "-D", "i");
            // the drop count rides on the next received frame: a sentinel after the flood collects it
            // (if the last frames were dropped, nothing tells us until then), so first wait for the queue to drain
            Vcan.awaitQuiet(check.received::get);
            Vcan.cansend("vcan0", "7FF#00");
            Vcan.await("the sentinel", () -> check.sentinels.get() > 0);
            long drops = ch.counters().drops();
            assertTrue(drops > 0, "a 4 KiB buffer must overflow under an unpaced flood");
            assertEquals(n, check.received.get() + drops, "every frame either arrived or was counted as dropped");
            assertEquals(drops, check.missing.get() + (n - check.next), "the counted drops are exactly the holes in the sequence");
            assertEquals(0, check.backwards.get());
            assertEquals(drops, reportedDrops.get(), "every drop was reported as an event");
        }
    }

    @Test void theSizedReceiveBufferAbsorbsABurst() throws Exception {
        int n = 3000;
        SequenceCheck check = new SequenceCheck(0);
        try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults())) {
            ch.start(check);
            Vcan.run("cangen", "vcan0", "-g", "0", "-n", Integer.toString(n), "-I", "123", "-L", "8", "-D", "i");
            Vcan.cansend("vcan0", "7FF#00");
            Vcan.await("the burst and the sentinel", () -> check.sentinels.get() > 0);
            assertEquals(0, ch.counters().drops(), "drops with a " + SocketCanConfig.DEFAULT_RECEIVE_BUFFER + " byte buffer");
            assertEquals(n, check.received.get());
            assertEquals(0, check.missing.get());
        }
    }
}
