package dev.vgate.agent.systemd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real datagrams through libc to a real AF_UNIX datagram socket, checked by a separate process. */
class UnixDatagramTransportTest {
    @TempDir Path dir;
    private final long pid = ProcessHandle.current().pid();

    @Test void sendsToAFilesystemSocketWithThisProcessAsSender() throws Exception {
        String socket = dir.resolve("notify").toString();
        try (NotifyReceiver receiver = NotifyReceiver.start(socket);
             SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), pid)) {
            n.ready("up");
            n.watchdog();
            NotifyReceiver.Datagram ready = receiver.next(10_000);
            assertNotNull(ready, "no datagram arrived");
            assertEquals(new NotifyReceiver.Datagram(pid, ready.atMillis(), "READY=1|STATUS=up"), ready);
            assertEquals("WATCHDOG=1", receiver.next(10_000).text());
        }
    }

    @Test void sendsToAnAbstractSocket() throws Exception {
        String socket = "@vgate-test-" + pid + "-" + System.nanoTime();
        try (NotifyReceiver receiver = NotifyReceiver.start(socket);
             SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), pid)) {
            n.stopping();
            NotifyReceiver.Datagram d = receiver.next(10_000);
            assertNotNull(d, "no datagram arrived");
            assertEquals("STOPPING=1", d.text());
            assertEquals(pid, d.pid());
        }
    }

    @Test void nobodyListeningIsAnErrorWithTheErrno() throws Exception {
        String socket = dir.resolve("absent").toString();
        try (UnixDatagramTransport t = new UnixDatagramTransport(socket)) {
            SystemdException e = assertThrows(SystemdException.class, () -> t.send("READY=1"));
            assertEquals("cannot send to " + socket + ": errno 2", e.getMessage()); // ENOENT
            t.close();
            assertTrue(assertThrows(SystemdException.class, () -> t.send("x")).getMessage().contains("closed"));
        }
    }
}
