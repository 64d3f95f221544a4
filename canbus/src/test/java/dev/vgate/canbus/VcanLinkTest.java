package dev.vgate.canbus;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interface goes down, comes back, is deleted and created again: the channel reports and resumes. */
@Tag("vcan")
class VcanLinkTest {
    /** An interface of this test's own, so the others' vcan0/vcan1 stay untouched. */
    static final String IFACE = "vglink0";

    @BeforeEach void createInterface() throws Exception {
        Vcan.assumeInterfaces();
        deleteInterface();
        Process p = new ProcessBuilder("ip", "link", "add", "dev", IFACE, "type", "vcan").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Vcan.need(p.waitFor() == 0, "cannot create " + IFACE + " (needs root): " + out);
        Vcan.run("ip", "link", "set", "up", IFACE);
    }

    @AfterEach void deleteInterface() throws Exception {
        if (Files.exists(Path.of("/sys/class/net", IFACE))) Vcan.run("ip", "link", "del", IFACE);
    }

    @Test void downUpAndDeleteAddAreReportedAndReceivingResumes() throws Exception {
        BlockingQueue<CanFrame> frames = new LinkedBlockingQueue<>();
        BlockingQueue<CanEvent> events = new LinkedBlockingQueue<>();
        SocketCanConfig cfg = new SocketCanConfig(CanIdFilter.ALL, true, 1 << 20, true, Duration.ofMillis(50), Duration.ofMillis(400));
        try (SocketCanChannel ch = SocketCanChannel.open(IFACE, cfg)) {
            ch.start(f -> frames.add(f.copy()), events::add);
            expectFrame(frames, "111#01");

            Vcan.run("ip", "link", "set", "down", IFACE);
            assertEquals(CanEvent.Type.LINK_DOWN, nextEvent(events).type());
            CanException e = assertThrows(CanException.class, () -> ch.send(new CanFrame().id(1)));
            assertTrue(e.getMessage().startsWith(IFACE + ": "), e.getMessage());
            Vcan.run("ip", "link", "set", "up", IFACE);
            CanEvent reopened = nextEvent(events);
            assertEquals(CanEvent.Type.REOPENED, reopened.type());
            expectFrame(frames, "111#02");

            Vcan.run("ip", "link", "del", IFACE);
            CanEvent gone = nextEvent(events);
            assertTrue(gone.type() == CanEvent.Type.LINK_REMOVED || gone.type() == CanEvent.Type.LINK_DOWN, gone.toString());
            if (gone.type() == CanEvent.Type.LINK_DOWN) {
                // deleting takes the link down first; removal may then show up as a failed reopen only
                assertTrue(events.isEmpty() || events.peek().type() == CanEvent.Type.LINK_REMOVED);
            }
            Vcan.run("ip", "link", "add", "dev", IFACE, "type", "vcan");
            Vcan.run("ip", "link", "set", "up", IFACE);
            CanEvent back;
            do back = nextEvent(events); while (back.type() == CanEvent.Type.LINK_REMOVED);
            assertEquals(CanEvent.Type.REOPENED, back.type());
            expectFrame(frames, "111#03");

            // sending works again on the new socket
            ch.send(CandumpFormat.parseFrame("222#04", new CanFrame()));
            assertEquals(1, ch.counters().framesOut());
            assertEquals(3, ch.counters().framesIn());
        }
    }

    private static void expectFrame(BlockingQueue<CanFrame> frames, String frame) throws IOException, InterruptedException {
        Vcan.cansend(IFACE, frame);
        CanFrame f = frames.poll(Vcan.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(f, "no frame " + frame + " on " + IFACE);
        assertEquals(frame, Vcan.text(f));
    }

    private static CanEvent nextEvent(BlockingQueue<CanEvent> events) throws InterruptedException {
        CanEvent e = events.poll(Vcan.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no event within " + Vcan.WAIT_SECONDS + " s");
        return e;
    }
}
