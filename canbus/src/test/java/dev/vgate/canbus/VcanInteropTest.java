package dev.vgate.canbus;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SocketCanChannel against can-utils, both ways, on real (virtual) kernel interfaces. */
@Tag("vcan")
class VcanInteropTest {

    @BeforeEach void needVcan() { Vcan.assumeInterfaces(); }

    @Test void framesFromCansendArriveWithIdsFlagsDataAndKernelTimestamps() throws Exception {
        BlockingQueue<CanFrame> got = new LinkedBlockingQueue<>();
        try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults())) {
            ch.start(f -> got.add(f.copy()));
            String[] frames = {"123#DEADBEEF", "1ABCDEF0#01", "7FF##1AABBCC", "000##2", "010##0" + "11".repeat(12), "123#R", "1FFFFFFF#R", "456#"};
            String[] expect = {"123#DEADBEEF", "1ABCDEF0#01", "7FF##1AABBCC", "000##2", "010##0" + "11".repeat(12), "123#R", "1FFFFFFF#R", "456#"};
            long before = System.currentTimeMillis() * 1_000_000L;
            Vcan.cansend("vcan0", frames);
            long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
            long previous = 0;
            for (String e : expect) {
                CanFrame f = got.poll(Vcan.WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(f, "no frame for " + e);
                assertEquals(e, Vcan.text(f));
                assertEquals("vcan0", f.iface());
                assertTrue(f.timestampNanos() >= before && f.timestampNanos() <= after, "timestamp " + f.timestampNanos() + " not in [" + before + ", " + after + "]");
                assertTrue(f.timestampNanos() > previous, "kernel timestamps increase");
                previous = f.timestampNanos();
            }
            assertEquals(expect.length, ch.counters().framesIn());
            assertEquals(0, ch.counters().drops());
        }
    }

    @Test void framesSentByVgateAreSeenByCandumpClassicAndFd() throws Exception {
        Process candump = null;
        try (SocketCanChannel ch = SocketCanChannel.open("vcan1", SocketCanConfig.defaults())) {
            // counted after our own socket is bound (it receives too), so only candump's binding ends the wait
            int before = Vcan.rawReceivers("vcan1");
            candump = new ProcessBuilder("candump", "-L", "-n", "5", "vcan1").redirectErrorStream(true).start();
            Vcan.await("candump to bind to vcan1", () -> {
                try {
                    return Vcan.rawReceivers("vcan1") > before;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String[] frames = {"123#DEADBEEF", "1ABCDEF0#0102", "7FF##1AABBCCDDEEFF001122334455", "321#R", "00000001##2" + "AB".repeat(64)};
            for (String s : frames) ch.send(CandumpFormat.parseFrame(s, new CanFrame()));
            assertTrue(candump.waitFor(Vcan.WAIT_SECONDS, TimeUnit.SECONDS), "candump did not see 5 frames");
            String out = new String(candump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            List<String> seen = new ArrayList<>();
            for (String line : out.split("\n")) seen.add(Vcan.text(CandumpFormat.parseLogLine(line, new CanFrame())));
            assertEquals(List.of(frames), seen, out);
            assertEquals(5, ch.counters().framesOut());
        } finally {
            if (candump != null) candump.destroy();
        }
    }

    @Test void invalidFramesAreRefusedBeforeTheKernel() throws Exception {
        SocketCanConfig classicOnly = new SocketCanConfig(CanIdFilter.ALL, false, 65536, false,
                java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1));
        try (SocketCanChannel ch = SocketCanChannel.open("vcan1", SocketCanConfig.defaults())) {
            assertThrows(CanException.class, () -> ch.send(new CanFrame().id(0x800)));
            assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).data(new byte[9])));
            assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).flags(CanFrame.FLAG_FD).data(new byte[9])));
            assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).flags(CanFrame.FLAG_ERROR)));
            assertEquals(0, ch.counters().framesOut());
        }
        try (SocketCanChannel ch = SocketCanChannel.open("vcan1", classicOnly)) {
            CanException e = assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1).flags(CanFrame.FLAG_FD).data(new byte[12])));
            assertTrue(e.getMessage().startsWith("vcan1: send failed"), e.getMessage());
        }
    }

    @Test void errorFramesBecomeEventsNotFrames() throws Exception {
        BlockingQueue<CanFrame> frames = new LinkedBlockingQueue<>();
        BlockingQueue<CanEvent> events = new LinkedBlockingQueue<>();
        try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults())) {
            ch.start(f -> frames.add(f.copy()), events::add);
            // cansend writes an 8-digit id with bit 29 set as an error frame; vcan loops it back to us
            Vcan.cansend("vcan0", "20000044#0030000000000000", "123#01");
            CanFrame f = frames.poll(Vcan.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(f);
            assertEquals("123#01", Vcan.text(f));
            assertEquals(CanEvent.Type.BUS_OFF, events.poll(1, TimeUnit.SECONDS).type());
            CanEvent passive = events.poll(1, TimeUnit.SECONDS);
            assertEquals(CanEvent.Type.ERROR_PASSIVE, passive.type());
            assertEquals("rx and tx", passive.detail());
            assertEquals(1, ch.counters().errors());
            assertEquals(1, ch.counters().framesIn());
        }
    }

    @Test void kernelFiltersPassOnlyTheListedIds() throws Exception {
        BlockingQueue<CanFrame> got = new LinkedBlockingQueue<>();
        CanIdFilter filter = CanIdFilter.of(List.of(0x100), List.of(0x100));
        try (SocketCanChannel ch = SocketCanChannel.open("vcan0", SocketCanConfig.defaults().withFilter(filter))) {
            ch.start(f -> got.add(f.copy()));
            Vcan.cansend("vcan0", "100#01", "101#02", "00000100#03", "123#04", "00000101#05", "100#FF");
            List<String> seen = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                CanFrame f = got.poll(Vcan.WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(f);
                seen.add(Vcan.text(f));
            }
            assertEquals(List.of("100#01", "00000100#03", "100#FF"), seen);
            assertEquals(3, ch.counters().framesIn());
        }
    }
}
