package dev.vgate.diag.vcan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Helpers of the diag tests tagged {@code vcan}: vcan0 and the kernel's can-isotp (scripts/vcan-vm loads it),
 * can-utils' isotp tools. Inside scripts/vcan-tests ({@code vgate.vcan.required}) a missing piece fails
 * the test instead of skipping it.
 */
public final class VcanIsoTp {
    public static final long WAIT_SECONDS = 60;
    static final boolean REQUIRED = Boolean.getBoolean("vgate.vcan.required");

    private VcanIsoTp() {}

    public static void assumeVcanWithIsoTp() {
        need(Files.exists(Path.of("/sys/class/net/vcan0")), "vcan0 is needed: run through scripts/vcan-tests (a VM)");
        need(Files.exists(Path.of("/sys/module/can_isotp")), "the can-isotp module is needed (modprobe can-isotp; scripts/vcan-vm loads it)");
    }

    static void need(boolean condition, String why) {
        if (REQUIRED) assertTrue(condition, why);
        else assumeTrue(condition, why);
    }

    /** Runs a command, feeding {@code stdin}; returns stdout+stderr; fails the test on a non-zero exit. */
    public static String run(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + WAIT_SECONDS + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed: " + text);
        return text;
    }

    /** Hex bytes as can-utils' isotp tools read and print them: "01 02 0A". */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02X", x & 0xFF));
        return sb.toString();
    }

    /** ISO-TP receivers registered on {@code iface} (single-id lists of /proc/net/can), to wait until a tool listens. */
    public static int isotpReceivers(String iface) throws IOException {
        int n = 0;
        for (String list : new String[] {"rcvlist_sff", "rcvlist_eff", "rcvlist_fil"}) {
            Path p = Path.of("/proc/net/can", list);
            if (!Files.exists(p)) continue;
            for (String l : Files.readAllLines(p)) {
                String t = l.trim();
                if (t.startsWith(iface + " ") && t.endsWith("isotp")) n++;
            }
        }
        return n;
    }
}
