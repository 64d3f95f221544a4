package dev.vgate.ota.install;

import com.google.protobuf.ByteString;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.TestDevice;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.boot.SlotState;
import dev.vgate.ota.boot.UbootEnvFormat;
import dev.vgate.ota.download.FlakyServer;
import dev.vgate.ota.health.BootConfirmer;
import dev.vgate.ota.health.CommandHealthCheck;
import dev.vgate.protocol.ota.Artifact;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Power-cut simulation: the install runs in a child JVM that is SIGKILLed at every state transition and
 * at random byte offsets inside the download and the patch apply, and once during boot-verify's health
 * checks on the new slot. After each kill the device must boot
 * either the old slot, intact, or the new slot, fully written and verified; then a restart (resume,
 * reboot, boot-verify) must finish the update. The boot state is a redundant U-Boot environment.
 * Runs: -Dvgate.ota.powercut.runs (default 100). Run with {@code ./mvnw verify -pl ota-client -am -Ppowercut}.
 */
@Tag("powercut")
class PowerCutSimulationTest {
    @TempDir Path tmp;

    @Test void everyKillLeavesABootableVerifiedDevice() throws Exception {
        int runs = Integer.getInteger("vgate.ota.powercut.runs", 100);
        Path proto = tmp.resolve("proto");
        Files.createDirectories(proto);
        TestDevice dev = new TestDevice(proto, 1 << 20);
        dev.close();
        try (FlakyServer server = new FlakyServer(dev.patch, 0, 0)) {
            server.chunk = 2048;
            byte[] manifest = dev.signed(b -> b.setPatch(Artifact.newBuilder().addUrls(server.uri("/patch.bin").toString())
                    .setSize(dev.patch.length).setSha256(ByteString.copyFrom(TestDevice.sha(dev.patch)))));
            Files.write(proto.resolve("manifest.bin"), manifest);
            Files.deleteIfExists(proto.resolve("ota.db"));
            writeEnv(proto);
            byte[] baseSha = TestDevice.sha(dev.oldImg), targetSha = TestDevice.sha(dev.newImg);

            List<String[]> points = new ArrayList<>();
            for (InstallState s : List.of(InstallState.PLANNED, InstallState.CHECKED, InstallState.TARGET_MARKED_BAD, InstallState.WRITING,
                    InstallState.WRITTEN, InstallState.VERIFIED, InstallState.ACTIVE_MARKED, InstallState.REBOOT_REQUESTED))
                points.add(new String[] {"transition", s.name()});
            points.add(new String[] {"verify", "health-check"});
            Random rnd = new Random(42);
            while (points.size() < runs) {
                boolean download = points.size() % 2 == 0;
                long max = download ? dev.patch.length : dev.newImg.length;
                points.add(new String[] {download ? "download" : "apply", Long.toString(1 + (long) (rnd.nextDouble() * (max - 1)))});
            }
            Map<String, Integer> totals = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < points.size(); i++) {
                String[] p = points.get(i);
                Path dir = tmp.resolve("run" + i);
                copy(proto, dir);
                String where = "run " + i + " (kill at " + p[0] + " " + p[1] + ")";
                killChildAt(dir, server.uri("/patch.bin").toString(), p[0], p[1], where);
                // the device powers up again: what does the bootloader boot, and is it sound?
                BootChooser boot = PowerCutChild.PowerCutDevice.boot(dir);
                String primary = boot.getPrimary();
                if (p[0].equals("verify")) assertEquals("B", primary, where + ": the finished install should have switched to B");
                byte[] a = Sha256.ofPrefix(dir.resolve("slotA.img"), dev.oldImg.length);
                assertArrayEquals(baseSha, a, where + ": old slot A was modified");
                if (primary.equals("B")) {
                    assertArrayEquals(targetSha, Sha256.ofPrefix(dir.resolve("slotB.img"), dev.newImg.length), where + ": switched to an unverified slot B");
                    assertEquals(SlotState.TRIAL, boot.getState("B"), where);
                    totals.merge("new slot active, verified", 1, Integer::sum);
                } else {
                    totals.merge("old slot active, intact", 1, Integer::sum);
                }
                restartUntilDone(dir, primary, where);
                assertEquals("B", boot.getPrimary(), where);
                assertEquals(SlotState.GOOD, boot.getState("B"), where);
                assertArrayEquals(targetSha, Sha256.ofPrefix(dir.resolve("slotB.img"), dev.newImg.length), where);
                totals.merge("finished after restart", 1, Integer::sum);
                deleteTree(dir);
            }
            System.out.printf("power-cut simulation: %d runs (%d at state transitions, %d during boot-verify, %d inside download, %d inside apply) in %.1f s%n",
                    points.size(), points.stream().filter(p -> p[0].equals("transition")).count(), points.stream().filter(p -> p[0].equals("verify")).count(),
                    points.stream().filter(p -> p[0].equals("download")).count(), points.stream().filter(p -> p[0].equals("apply")).count(),
                    (System.nanoTime() - t0) / 1e9);
            totals.forEach((k, v) -> System.out.printf("  %-28s %d%n", k, v));
            assertEquals(points.size(), totals.get("finished after restart"));
            assertTrue(totals.getOrDefault("new slot active, verified", 0) > 0 && totals.getOrDefault("old slot active, intact", 0) > 0);
        }
    }

    /** Boots the device (in this JVM) until the update is committed: resume the install, reboot, confirm. */
    private static void restartUntilDone(Path dir, String booted, String where) throws Exception {
        for (int boots = 0; boots < 4; boots++) {
            AtomicBoolean reboot = new AtomicBoolean();
            try (InstallStore store = new InstallStore(dir.resolve("ota.db"), Clock.systemUTC())) {
                Installer inst = PowerCutChild.PowerCutDevice.installer(dir, store, booted, InstallHooks.NONE, () -> reboot.set(true));
                if (store.latest().isEmpty()) inst.install(Files.readAllBytes(dir.resolve("manifest.bin")));
                else inst.resume();
                if (!reboot.get()) {
                    new BootConfirmer(store, PowerCutChild.PowerCutDevice.boot(dir), List.of(new CommandHealthCheck("true", List.of("true"))),
                            Duration.ofSeconds(10), () -> reboot.set(true), Clock.systemUTC()).onStart(booted);
                }
                var latest = store.latest().orElseThrow();
                if (latest.state() == InstallState.COMMITTED) return;
                if (latest.state().terminal()) fail(where + ": install ended " + latest.state() + ": " + latest.error());
            }
            booted = PowerCutChild.PowerCutDevice.boot(dir).getPrimary();
        }
        fail(where + ": not committed after 4 boots");
    }

    private static void killChildAt(Path dir, String url, String kind, String value, String where) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), PowerCutChild.class.getName(), dir.toString(), url, kind, value)
                .redirectError(dir.resolve("child.err").toFile()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("PAUSE")) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    break;
                }
                if (line.equals("DONE")) fail(where + ": the child finished without reaching its kill point");
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(where + ": child hung");
            }
        }
        if (p.exitValue() != 137) fail(where + ": child exited " + p.exitValue() + ": " + Files.readString(dir.resolve("child.err")));
    }

    private static void writeEnv(Path dir) throws Exception {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bootcmd", "run distro_bootcmd");
        v.put("boot_part", "2");
        v.put("bootlimit", "3");
        v.put("upgrade_available", "0");
        v.put("bootcount", "0");
        v.put("altbootcmd", "setexpr boot_part 5 - ${boot_part}; setenv upgrade_available 0; saveenv; run bootcmd");
        byte[] b = UbootEnvFormat.encode(v, 0x4000, true);
        b[4] = 1;
        Files.write(dir.resolve("env0.bin"), b);
        Files.write(dir.resolve("env1.bin"), new byte[0x4000]);
        Files.writeString(dir.resolve("fw_env.config"), "env0.bin 0x0 0x4000\nenv1.bin 0x0 0x4000\n");
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path f : s.toList()) if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

}
