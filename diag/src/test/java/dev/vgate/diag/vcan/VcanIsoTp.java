package dev.vgate.diag.vcan;

import dev.vgate.canbus.Vcan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Helpers of the diag tests tagged {@code vcan}: vcan0 and the kernel's can-isotp (scripts/vcan-vm loads it),
 * can-utils' isotp tools. Inside scripts/vcan-tests ({@code vgate.vcan.required}) a missing piece fails
 * the test instead of skipping it.
 */
public final class VcanIsoTp {
    private VcanIsoTp() {}

    public static void assumeVcanWithIsoTp() {
        Vcan.need(Files.exists(Path.of("/sys/class/net/vcan0")), "vcan0 is needed: run through scripts/vcan-tests (a VM)");
        Vcan.need(Files.exists(Path.of("/sys/module/can_isotp")), "the can-isotp module is needed (modprobe can-isotp; scripts/vcan-vm loads it)");
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
