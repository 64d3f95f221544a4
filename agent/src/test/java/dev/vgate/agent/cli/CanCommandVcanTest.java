package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code vgate can dump} and {@code vgate can send} against can-utils on vcan1 (run by scripts/vcan-tests). */
@Tag("vcan")
class CanCommandVcanTest {
    static final long WAIT_SECONDS = 60;

    @BeforeEach void needVcan() {
        assumeTrue(Files.exists(Path.of("/sys/class/net/vcan1")), "vcan1 is needed: run through scripts/vcan-tests");
    }

    @Test void dumpPrintsCandumpLinesOfWhatCansendSent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        AtomicInteger exit = new AtomicInteger(-1);
        Thread dump;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            dump = new Thread(() -> exit.set(Main.run("can", "dump", "vcan1", "--count", "3")));
            dump.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!err.toString(StandardCharsets.UTF_8).contains("# listening on vcan1")) {
                if (System.nanoTime() > deadline || !dump.isAlive()) fail("no '# listening on vcan1': " + err);
                Thread.sleep(20);
            }
            for (String f : List.of("123#DEADBEEF", "1ABCDEF0##1AABB", "321#R")) run("cansend", "vcan1", f);
            dump.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, exit.get(), err.toString(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, out.toString(StandardCharsets.UTF_8));
        assertTrue(lines[0].matches("\\(\\d{10}\\.\\d{6}\\) vcan1 123#DEADBEEF"), lines[0]);
        assertTrue(lines[1].matches("\\(\\d{10}\\.\\d{6}\\) vcan1 1ABCDEF0##[15]AABB"), lines[1]);
        assertTrue(lines[2].matches("\\(\\d{10}\\.\\d{6}\\) vcan1 321#R"), lines[2]);
    }

    @Test void sendIsSeenByCandump() throws Exception {
        Process candump = new ProcessBuilder("candump", "-L", "-n", "3", "vcan1").redirectErrorStream(true).start();
        try {
            // candump binds a raw socket without filters: it shows up in the kernel's receive list
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (Files.readAllLines(Path.of("/proc/net/can/rcvlist_all")).stream().noneMatch(l -> l.trim().startsWith("vcan1 ") && l.trim().endsWith("raw"))) {
                if (System.nanoTime() > deadline) fail("candump did not bind");
                Thread.sleep(20);
            }
            assertEquals(0, Main.run("can", "send", "vcan1", "123#DEADBEEF", "7FF##1" + "00".repeat(12), "12345678#R"));
            assertTrue(candump.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
            String[] lines = new String(candump.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
            assertEquals(3, lines.length);
            assertTrue(lines[0].endsWith(" vcan1 123#DEADBEEF"), lines[0]);
            assertTrue(lines[1].matches(".* vcan1 7FF##[15]0{24}"), lines[1]);
            assertTrue(lines[2].endsWith(" vcan1 12345678#R"), lines[2]);
        } finally {
            candump.destroy();
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }
}
