package dev.vgate.agent.systemd;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol side of sd_notify: environment, message text, addresses; no socket. */
class SdNotifyTest {
    /** A hand-written transport that records what would have been sent, and can be told to fail. */
    static final class RecordingTransport implements NotifyTransport {
        final List<String> sent = new ArrayList<>();
        boolean fail;
        boolean closed;

        @Override public void send(String message) throws SystemdException {
            if (fail) throw new SystemdException("connection refused");
            sent.add(message);
        }

        @Override public void close() {
            closed = true;
        }
    }

    @Test void withoutNotifySocketItIsTheNullObject() throws Exception {
        SdNotify n = SdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), 42);
        assertSame(SdNotify.DISABLED, n);
        assertFalse(n.enabled());
        assertEquals(Optional.empty(), n.watchdogInterval());
        n.ready("x"); // does nothing, never throws
        n.watchdog();
        n.stopping();
        assertSame(SdNotify.DISABLED, SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", ""), 42));
    }

    @Test void unusableNotifySocketIsAnErrorNotASilentNoOp() {
        SystemdException relative = assertThrows(SystemdException.class,
                () -> SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"), 1));
        assertEquals("NOTIFY_SOCKET must be an absolute path or an abstract name starting with '@', got 'run/notify'",
                relative.getMessage());
        SystemdException vsock = assertThrows(SystemdException.class,
                () -> SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "vsock:2:1234"), 1));
        assertTrue(vsock.getMessage().startsWith("NOTIFY_SOCKET must be an absolute path"), vsock.getMessage());
        String longPath = "/" + "x".repeat(107);
        SystemdException tooLong = assertThrows(SystemdException.class,
                () -> SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", longPath), 1));
        assertEquals("NOTIFY_SOCKET is longer than 107 bytes: " + longPath, tooLong.getMessage());
    }

    @Test void socketAddressesMatchTheKernelsLayout() throws Exception {
        byte[] path = UnixDatagramTransport.sockaddrUn("/run/systemd/notify");
        assertEquals(2 + "/run/systemd/notify".length() + 1, path.length, "a path keeps its NUL");
        assertEquals(Libc.AF_UNIX, family(path));
        assertEquals('/', path[2]);
        assertEquals(0, path[path.length - 1]);
        byte[] abs = UnixDatagramTransport.sockaddrUn("@vgate/notify");
        assertEquals(2 + "@vgate/notify".length(), abs.length, "an abstract name is exactly its bytes");
        assertEquals(0, abs[2], "abstract names start with NUL");
        assertArrayEquals("vgate/notify".getBytes(), java.util.Arrays.copyOfRange(abs, 3, abs.length));
        // the longest path that fits: 107 bytes + NUL = sun_path's 108
        assertEquals(2 + 108, UnixDatagramTransport.sockaddrUn("/" + "x".repeat(106)).length);
    }

    private static int family(byte[] addr) {
        return java.nio.ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).getShort();
    }

    @Test void watchdogIntervalComesFromTheEnvironment() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), WatchdogEnv.interval(Map.of("WATCHDOG_USEC", "30000000"), 7));
        assertEquals(Optional.of(Duration.ofMillis(1500)),
                WatchdogEnv.interval(Map.of("WATCHDOG_USEC", "1500000", "WATCHDOG_PID", "7"), 7));
        assertEquals(Optional.empty(), WatchdogEnv.interval(Map.of(), 7));
        assertEquals(Optional.empty(), WatchdogEnv.interval(Map.of("WATCHDOG_USEC", "1500000", "WATCHDOG_PID", "8"), 7),
                "meant for another process (we inherited it)");
        assertEquals(Optional.empty(), WatchdogEnv.interval(Map.of("WATCHDOG_USEC", "0"), 7));
        assertEquals(Optional.empty(), WatchdogEnv.interval(Map.of("WATCHDOG_USEC", "soon"), 7));
        assertEquals(Optional.empty(), WatchdogEnv.interval(Map.of("WATCHDOG_USEC", "5", "WATCHDOG_PID", "x"), 7));
    }

    @Test void messagesFollowTheProtocol() {
        RecordingTransport t = new RecordingTransport();
        SocketNotify n = new SocketNotify(t, Optional.of(Duration.ofSeconds(10)));
        n.ready();
        n.ready("decoding 3 buses");
        n.watchdog();
        n.status("broker down\nretrying in 5 s");
        n.extendTimeout(Duration.ofSeconds(20));
        n.stopping("flushing");
        assertEquals(List.of("READY=1", "READY=1\nSTATUS=decoding 3 buses", "WATCHDOG=1",
                "STATUS=broker down retrying in 5 s", "EXTEND_TIMEOUT_USEC=20000000", "STOPPING=1\nSTATUS=flushing"),
                t.sent);
        assertTrue(n.enabled());
        assertEquals(Optional.of(Duration.ofSeconds(10)), n.watchdogInterval());
        n.close();
        assertTrue(t.closed);
    }

    @Test void aFailingSocketNeverThrowsAndRecovers() {
        RecordingTransport t = new RecordingTransport();
        SocketNotify n = new SocketNotify(t, Optional.empty());
        t.fail = true;
        n.watchdog();
        n.watchdog();
        t.fail = false;
        n.watchdog();
        assertEquals(List.of("WATCHDOG=1"), t.sent);
    }
}
