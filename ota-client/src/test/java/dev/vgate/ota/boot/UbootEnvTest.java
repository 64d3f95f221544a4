package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UbootEnvTest {
    static final int SIZE = 0x4000;
    @TempDir Path dir;
    Path envA, envB, single, cfgRed, cfgSingle;

    @BeforeEach void files() throws IOException {
        envA = dir.resolve("env-a.bin");
        envB = dir.resolve("env-b.bin");
        single = dir.resolve("uboot.env");
        for (Path p : List.of(envA, envB, single)) Files.write(p, new byte[SIZE]);
        cfgRed = dir.resolve("fw_env.config");
        Files.writeString(cfgRed, "# redundant env in two files\n" + envA + " 0x0000 0x4000\n" + envB + "\t0 4000\n"); // the size is hex even without 0x
        cfgSingle = dir.resolve("fw_env-single.config");
        Files.writeString(cfgSingle, single + " 0x0 0x4000\n");
    }

    static Map<String, String> vars(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    void seed(Path file, Map<String, String> v, boolean redundant, int flag) throws IOException {
        byte[] b = UbootEnvFormat.encode(v, SIZE, redundant);
        if (redundant) b[4] = (byte) flag;
        Files.write(file, b);
    }

    @Test void roundTripAndCrc() {
        Map<String, String> v = vars("bootcmd", "run distro_bootcmd", "boot_part", "2", "empty", "");
        byte[] b = UbootEnvFormat.encode(v, SIZE, false);
        assertEquals(v, UbootEnvFormat.decode(b, false));
        b[100] ^= 1;
        assertNull(UbootEnvFormat.decode(b, false), "a copy with a bad CRC is never trusted");
    }

    @Test void redundantPicksNewerFlagAndIgnoresBadCrc() throws Exception {
        UbootEnvStore s = new UbootEnvStore(FwEnvConfig.load(cfgRed));
        seed(envA, vars("v", "old"), true, 4);
        seed(envB, vars("v", "new"), true, 5);
        assertEquals("new", s.read().get("v"));
        byte[] b = Files.readAllBytes(envB);
        b[10] ^= 0x20;
        Files.write(envB, b);
        assertEquals("old", s.read().get("v"));
        // wrap-around: 0 is newer than 255
        seed(envA, vars("v", "255"), true, 255);
        seed(envB, vars("v", "0"), true, 0);
        assertEquals("0", s.read().get("v"));
        // both bad: refuse rather than guess
        Files.write(envA, new byte[SIZE]);
        Files.write(envB, new byte[SIZE]);
        assertEquals(OtaException.Reason.BOOT_CONTROL, assertThrows(OtaException.class, s::read).reason());
    }

    @Test void writeGoesToTheOtherCopyWithTheNextFlag() throws Exception {
        seed(envA, vars("v", "1"), true, 7);
        seed(envB, vars("v", "0"), true, 6);
        UbootEnvStore s = new UbootEnvStore(FwEnvConfig.load(cfgRed));
        s.update(v -> v.put("v", "2"));
        assertEquals(8, Files.readAllBytes(envB)[4]);
        assertEquals("1", UbootEnvFormat.decode(Files.readAllBytes(envA), true).get("v"), "the previous copy stays intact");
        assertEquals("2", s.read().get("v"));
        // a torn write of the next copy (CRC fails) leaves the last good one current
        s.update(v -> v.put("v", "3"));
        byte[] torn = Files.readAllBytes(envA);
        torn[SIZE - 1] ^= 1;
        Files.write(envA, torn);
        assertEquals("2", s.read().get("v"));
    }

    @Test void activeObsoleteFlagsForNor() throws Exception {
        seed(envA, vars("v", "a"), true, UbootEnvStore.ACTIVE);
        seed(envB, vars("v", "b"), true, UbootEnvStore.OBSOLETE);
        UbootEnvStore s = new UbootEnvStore(FwEnvConfig.load(cfgRed), UbootEnvStore.FlagScheme.ACTIVE_OBSOLETE);
        assertEquals("a", s.read().get("v"));
        s.update(v -> v.put("v", "c"));
        assertEquals(UbootEnvStore.ACTIVE, Files.readAllBytes(envB)[4]);
        assertEquals(UbootEnvStore.OBSOLETE, Files.readAllBytes(envA)[4]);
        assertEquals("c", s.read().get("v"));
    }

    @Test void fwEnvConfigErrorsSayWhere() throws Exception {
        Path bad = dir.resolve("bad.config");
        Files.writeString(bad, envA + " 0x0\n");
        OtaException e = assertThrows(OtaException.class, () -> FwEnvConfig.load(bad));
        assertTrue(e.getMessage().contains("bad.config:1"), e.getMessage());
        Files.writeString(bad, "/dev/mtd0 0x0 0x4000\n");
        assertTrue(assertThrows(OtaException.class, () -> FwEnvConfig.load(bad)).getMessage().contains("MTD"));
    }

    @Test void menderSchemeArmsTrialAndCommits() throws Exception {
        seed(envA, vars("boot_part", "2", "upgrade_available", "0", "bootcount", "0", "bootlimit", "3", "altbootcmd", "run fallback"), true, 1);
        seed(envB, vars(), true, 0);
        UbootBootChooser b = new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(cfgRed)), UbootBootChooser.Scheme.mender("boot_part", "2", "3", 3, null));
        assertEquals("A", b.getPrimary());
        b.setPrimary("B");
        assertEquals("B", b.getPrimary());
        assertEquals(SlotState.TRIAL, b.getState("B"));
        Map<String, String> v = new UbootEnvStore(FwEnvConfig.load(cfgRed)).read();
        assertEquals("3", v.get("boot_part"));
        assertEquals("1", v.get("upgrade_available"));
        assertEquals("0", v.get("bootcount"));
        b.setState("B", SlotState.GOOD);
        assertEquals(SlotState.GOOD, b.getState("B"));
        assertEquals("0", new UbootEnvStore(FwEnvConfig.load(cfgRed)).read().get("upgrade_available"));
        b.setState("B", SlotState.BAD);
        assertEquals("A", b.getPrimary());
    }

    @Test void menderSchemeRefusesToArmWithoutAltbootcmd() throws Exception {
        seed(envA, vars("boot_part", "2"), true, 1);
        UbootBootChooser b = new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(cfgRed)), UbootBootChooser.Scheme.mender("boot_part", "2", "3", 3, null));
        OtaException e = assertThrows(OtaException.class, () -> b.setPrimary("B"));
        assertTrue(e.getMessage().contains("altbootcmd"), e.getMessage());
        assertEquals("A", b.getPrimary());
        UbootBootChooser withDefault = new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(cfgRed)),
                UbootBootChooser.Scheme.mender("boot_part", "2", "3", 3, "setenv boot_part 2; setenv upgrade_available 0; saveenv; run bootcmd"));
        withDefault.setPrimary("B");
        assertTrue(new UbootEnvStore(FwEnvConfig.load(cfgRed)).read().get("altbootcmd").startsWith("setenv boot_part 2"));
    }

    @Test void raucScheme() throws Exception {
        seed(single, vars("BOOT_ORDER", "A B", "BOOT_A_LEFT", "3", "BOOT_B_LEFT", "3"), false, 0);
        UbootBootChooser b = new UbootBootChooser(new UbootEnvStore(FwEnvConfig.load(cfgSingle)), UbootBootChooser.Scheme.rauc(3));
        assertEquals("A", b.getPrimary());
        b.setState("B", SlotState.BAD);
        assertEquals(SlotState.BAD, b.getState("B"));
        b.setPrimary("B");
        assertEquals("B", b.getPrimary());
        Map<String, String> v = new UbootEnvStore(FwEnvConfig.load(cfgSingle)).read();
        assertEquals("B A", v.get("BOOT_ORDER"));
        assertEquals("3", v.get("BOOT_B_LEFT"));
        // the boot script used up B's attempts: the bootloader's choice is A again
        new UbootEnvStore(FwEnvConfig.load(cfgSingle)).update(m -> m.put("BOOT_B_LEFT", "0"));
        assertEquals("A", b.getPrimary());
    }

    // ---- cross-checks against Debian's libubootenv-tool and u-boot-tools ----

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), cmd + " hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + " failed: " + out);
        return out;
    }

    static void need(String tool, String pkg) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " is not installed (Debian package " + pkg + "); skipping the cross-check");
    }

    @Test void fwPrintenvReadsWhatVgateWrites() throws Exception {
        need("fw_printenv", "libubootenv-tool");
        seed(single, vars("bootcmd", "run distro_bootcmd"), false, 0);
        new UbootEnvStore(FwEnvConfig.load(cfgSingle)).update(v -> v.put("boot_part", "3"));
        String out = run(List.of("fw_printenv", "-c", cfgSingle.toString()));
        assertTrue(out.contains("boot_part=3") && out.contains("bootcmd=run distro_bootcmd"), out);
    }

    @Test void redundantEnvInteroperatesWithFwSetenv() throws Exception {
        need("fw_setenv", "libubootenv-tool");
        seed(envA, vars("x", "1"), true, 1);
        seed(envB, vars("x", "0"), true, 0);
        UbootEnvStore s = new UbootEnvStore(FwEnvConfig.load(cfgRed));
        run(List.of("fw_setenv", "-c", cfgRed.toString(), "x", "from-fw_setenv"));
        assertEquals("from-fw_setenv", s.read().get("x"));
        s.update(v -> v.put("x", "from-vgate"));
        assertTrue(run(List.of("fw_printenv", "-c", cfgRed.toString(), "x")).contains("x=from-vgate"));
        run(List.of("fw_setenv", "-c", cfgRed.toString(), "y", "2"));
        Map<String, String> v = s.read();
        assertEquals("from-vgate", v.get("x"));
        assertEquals("2", v.get("y"));
    }

    @Test void readsMkenvimageOutput() throws Exception {
        need("mkenvimage", "u-boot-tools");
        Path txt = dir.resolve("env.txt");
        Files.writeString(txt, "bootcmd=run distro_bootcmd\nboot_part=2\nbootlimit=3\naltbootcmd=run alt\n");
        run(List.of("mkenvimage", "-s", "0x4000", "-o", single.toString(), txt.toString()));
        assertEquals(vars("altbootcmd", "run alt", "boot_part", "2", "bootcmd", "run distro_bootcmd", "bootlimit", "3"),
                new java.util.TreeMap<>(new UbootEnvStore(FwEnvConfig.load(cfgSingle)).read()));
        run(List.of("mkenvimage", "-r", "-s", "0x4000", "-o", envA.toString(), txt.toString()));
        Files.write(envB, new byte[SIZE]);
        assertEquals("2", new UbootEnvStore(FwEnvConfig.load(cfgRed)).read().get("boot_part"));
        List<String> unused = new ArrayList<>();
        assertTrue(unused.isEmpty());
    }
}
