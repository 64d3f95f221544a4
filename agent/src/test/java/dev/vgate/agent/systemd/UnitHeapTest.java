package dev.vgate.agent.systemd;

import dev.vgate.agent.Main;
import dev.vgate.dbc.DbcDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The unit's heap limit must hold every configuration that {@code config check} accepts, or the car gets a crash
 * loop (the unit exits on OutOfMemoryError) and no edge rules. The largest input the limits allow is a DBC file
 * just under {@link DbcDatabase#MAX_FILE_BYTES}; two of them, on two buses, under the unit's own JVM flags
 * (`-Xmx32m` failed here with ~26 MB live after loading; docs/systemd.md "Heap").
 */
class UnitHeapTest {
    @TempDir Path dir;

    @Test void twoDbcFilesAtTheSizeLimitFitTheUnitsHeap() throws Exception {
        Path a = writeDbcJustUnderTheLimit(dir.resolve("a.dbc"), 0);
        Path b = writeDbcJustUnderTheLimit(dir.resolve("b.dbc"), 1);
        Path config = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: VGATE0HEAPTEST001
                state_dir: state
                buses:
                  - name: a
                    kind: virtual
                    interface: can0
                    dbc: %s
                  - name: b
                    kind: virtual
                    interface: can1
                    dbc: %s
                mqtt:
                  url: tcp://127.0.0.1:1
                status:
                  file: %s
                """.formatted(a, b, dir.resolve("run/status.json")));
        List<String> exec = RepoFiles.execStart();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : exec.subList(1, exec.indexOf("-jar"))) {
            if (!option.startsWith("-XX:SharedArchiveFile")) cmd.add(option); // the archive exists only on the device
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config", config.toString()));
        Path log = dir.resolve("vgate.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("bus:b started")) {
                if (!p.isAlive()) fail("vgate exited (" + p.exitValue() + ") while starting:\n" + tail(log));
                if (System.nanoTime() > deadline) fail("bus b did not start within 60 s:\n" + tail(log));
                Thread.sleep(100);
            }
            Thread.sleep(3000); // running: the pipelines, the telemetry window, the status report
            assertTrue(p.isAlive(), "vgate still runs:\n" + tail(log));
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), tail(log));
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** A DBC of 8-byte extended-id messages with eight 8-bit signals each, just under the file size limit. */
    private static Path writeDbcJustUnderTheLimit(Path file, int variant) throws IOException {
        StringBuilder s = new StringBuilder("VERSION \"\"\n\nNS_ :\n\nBS_:\n\nBU_: ECU\n\n");
        StringBuilder next = new StringBuilder();
        for (int m = 0; ; m++) {
            next.setLength(0);
            long id = 0x80000000L | (variant * 0x100000L + m);
            next.append("BO_ ").append(id).append(" M").append(m).append(": 8 ECU\n");
            for (int g = 0; g < 8; g++) {
                next.append(" SG_ M").append(m).append("_S").append(g).append(" : ").append(g * 8)
                        .append("|8@1+ (0.5,-40) [-40|87.5] \"degC\" Vector__XXX\n");
            }
            next.append('\n');
            if (s.length() + next.length() >= DbcDatabase.MAX_FILE_BYTES - 16) break;
            s.append(next);
        }
        return Files.writeString(file, s);
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }
}
