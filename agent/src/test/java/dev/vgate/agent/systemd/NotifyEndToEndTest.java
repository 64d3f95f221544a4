package dev.vgate.agent.systemd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What systemd does with a Type=notify, WatchdogSec= unit, played out for real: a receiver binds the notify
 * socket, a child JVM started with the unit's own ExecStart JVM options and systemd's environment
 * (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID = the child's pid) must send READY=1 from its main pid,
 * then WATCHDOG=1 within every watchdog interval, then STOPPING=1 on SIGTERM.
 */
class NotifyEndToEndTest {
    private static final long WATCHDOG_MS = 1500;

    @TempDir Path dir;

    @Test void unitCommandLineNotifiesReadyPingsTheWatchdogAndStopsOnSigterm() throws Exception {
        List<String> exec = RepoFiles.execStart();
        int jar = exec.indexOf("-jar");
        assertTrue(exec.get(0).endsWith("/java") && jar > 0, "ExecStart runs java -jar: " + exec);
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "WATCHDOG_PID=$$ exec \"$@\"", "sh"));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(exec.subList(1, jar)); // the unit's JVM options, so a bad flag fails here, not on a car
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NotifyProbe.class.getName()));

        String socket = dir.resolve("notify").toString();
        try (NotifyReceiver systemd = NotifyReceiver.start(socket)) {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("probe.log").toFile());
            pb.environment().put("NOTIFY_SOCKET", socket);
            pb.environment().put("WATCHDOG_USEC", Long.toString(WATCHDOG_MS * 1000));
            Process probe = pb.start();
            try {
                long pid = probe.pid();
                NotifyReceiver.Datagram ready = systemd.next(30_000);
                assertNotNull(ready, "no READY=1 within 30 s; probe log: " + log());
                assertEquals("READY=1|STATUS=probe running, watchdog " + WATCHDOG_MS + " ms", ready.text());
                assertEquals(pid, ready.pid(), "sent by the main pid, as NotifyAccess=main requires");

                long last = ready.atMillis();
                for (int i = 0; i < 3; i++) {
                    NotifyReceiver.Datagram ping = systemd.next(WATCHDOG_MS * 5);
                    assertNotNull(ping, "watchdog ping " + i + " missing");
                    assertEquals("WATCHDOG=1", ping.text());
                    assertEquals(pid, ping.pid());
                    long gap = ping.atMillis() - last;
                    assertTrue(gap < WATCHDOG_MS, "ping " + i + " came " + gap + " ms after the previous message:"
                            + " systemd would have killed the service");
                    last = ping.atMillis();
                }

                probe.destroy(); // SIGTERM, as systemctl stop sends
                NotifyReceiver.Datagram stopping;
                do {
                    stopping = systemd.next(10_000);
                } while (stopping != null && stopping.text().equals("WATCHDOG=1"));
                assertNotNull(stopping, "no STOPPING=1 after SIGTERM");
                assertEquals("STOPPING=1|STATUS=probe stopping", stopping.text());
                assertTrue(probe.waitFor(10, TimeUnit.SECONDS), "probe did not exit after SIGTERM");
                assertEquals(143, probe.exitValue(), "128 + SIGTERM");
            } finally {
                probe.destroyForcibly();
            }
        }
    }

    private String log() {
        try {
            return java.nio.file.Files.readString(dir.resolve("probe.log"));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
