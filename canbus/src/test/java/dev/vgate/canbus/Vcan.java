package dev.vgate.canbus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Helpers for the tests tagged {@code vcan}: they need vcan0 and vcan1 up (scripts/vcan-vm provides
 * them), can-utils on the PATH, and root for the link tests. The time limits are generous because the
 * VM's CPU is emulated. Public (canbus test-jar) for the vcan tests of other modules (diag).
 */
public final class Vcan {
    public static final long WAIT_SECONDS = 60;

    private Vcan() {}

    /**
     * Set by scripts/vcan-tests: there the interfaces and root are promised, so a missing one is a failure
     * rather than a skip (a run that skipped everything must not pass).
     */
    public static final boolean REQUIRED = Boolean.getBoolean("vgate.vcan.required");

    static void assumeInterfaces() {
        need(Files.exists(Path.of("/sys/class/net/vcan0")) && Files.exists(Path.of("/sys/class/net/vcan1")),
                "vcan0 and vcan1 are needed: run through scripts/vcan-tests (a VM) or create them (modprobe vcan)");
    }

    /** An assumption outside scripts/vcan-tests, an assertion inside. */
    public static void need(boolean condition, String why) {
        if (REQUIRED) assertTrue(condition, why);
        else assumeTrue(condition, why);
    }

    /** Runs a command to completion and returns its stdout; fails the test on a non-zero exit. */
    public static String run(String... cmd) throws IOException, InterruptedException {
        return runWithInput(null, cmd);
    }

    /** {@link #run(String...)}, feeding {@code stdin} (null: none) to the command. */
    public static String runWithInput(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + WAIT_SECONDS + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed: " + text);
        return text;
    }

    static void cansend(String iface, String... frames) throws IOException, InterruptedException {
        for (String f : frames) run("cansend", iface, f);
    }

    /** Raw sockets currently bound to {@code iface} without filters (/proc/net/can/rcvlist_all). */
    static int rawReceivers(String iface) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/can/rcvlist_all"));
        int n = 0;
        for (String l : lines) {
            String t = l.trim();
            if (t.startsWith(iface + " ") && t.endsWith("raw")) n++;
        }
        return n;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + WAIT_SECONDS + " s waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** Waits until {@code counter} stops changing for a second (a receive queue has drained). */
    static void awaitQuiet(java.util.function.LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        long last = counter.getAsLong();
        int quiet = 0;
        while (quiet < 4) {
            if (System.nanoTime() > deadline) fail("still receiving after " + WAIT_SECONDS + " s");
            Thread.sleep(250);
            long now = counter.getAsLong();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /** The frame in cansend syntax, with the FD flags nibble's FDF bit dropped (kernels differ in setting it). */
    static String text(CanFrame f) {
        CanFrame c = f.copy().flags(f.flags() & ~CanFrame.FLAG_FDF);
        return CandumpFormat.appendFrame(c, new StringBuilder()).toString();
    }

    /** cangen -D i writes a little-endian 64-bit counter into the payload. */
    static long sequence(CanFrame f) {
        long v = 0;
        for (int k = Math.min(8, f.length()) - 1; k >= 0; k--) v = (v << 8) | (f.data()[k] & 0xFF);
        return v;
    }
}
