package dev.vgate.agent.cli;

import dev.vgate.agent.Main;
import dev.vgate.ota.boot.FwEnvConfig;
import dev.vgate.ota.boot.UbootEnvFormat;
import dev.vgate.ota.boot.UbootEnvStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vgate ota install | boot-verify | status | abort} on a device made of files: two slot images, a
 * U-Boot environment in the bootcount scheme (as systest/uboot/boot.cmd keeps it), a real make-patch
 * release. U-Boot's part (boot counting, altbootcmd) is played by editing the environment; the real
 * U-Boot runs in systest/.
 */
class OtaDeviceCommandsTest {
    static final int SIZE = 192 * 1024;
    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private Path config, slotA, slotB, healthFail;
    private byte[] oldImage, newImage;
    private UbootEnvStore env;

    @BeforeEach void device() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Random r = new Random(7);
        oldImage = new byte[SIZE];
        r.nextBytes(oldImage);
        Arrays.fill(oldImage, 64 * 1024, 128 * 1024, (byte) 0);
        newImage = oldImage.clone();
        for (int i = 0; i < 200; i++) newImage[r.nextInt(SIZE)] = (byte) r.nextInt();
        slotA = Files.write(dir.resolve("slot-a.img"), oldImage);
        slotB = Files.write(dir.resolve("slot-b.img"), new byte[SIZE]);
        Path newFile = Files.write(dir.resolve("2.0.img"), newImage);
        assertEquals(0, Main.run("ota", "keygen", "--out", dir.resolve("keys").toString()), () -> err.toString(StandardCharsets.UTF_8));
        assertEquals(0, Main.run("ota", "make-patch", slotA.toString(), newFile.toString(), "--key", dir.resolve("keys/release").toString(),
                "--version", "2.0.0", "--out", dir.resolve("release").toString()), () -> err.toString(StandardCharsets.UTF_8));

        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("boot_part", "2");
        vars.put("upgrade_available", "0");
        vars.put("bootcount", "0");
        vars.put("bootlimit", "3");
        vars.put("altbootcmd", "setenv rollback_from ${boot_part}; setenv boot_part 2; setenv upgrade_available 0; saveenv; run bootcmd");
        Files.write(dir.resolve("uboot.env"), UbootEnvFormat.encode(vars, 0x4000, false));
        Files.writeString(dir.resolve("fw_env.config"), "uboot.env 0x0 0x4000\n");
        env = new UbootEnvStore(FwEnvConfig.load(dir.resolve("fw_env.config")));

        healthFail = dir.resolve("health-fail");
        Path health = Files.writeString(dir.resolve("health.sh"), "#!/bin/sh\nif [ -e " + healthFail + " ]; then echo vcan0 silent; exit 1; fi\necho ok\n");
        Files.setPosixFilePermissions(health, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("demo.dbc"), "VERSION \"\"\n");
        config = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: KMHK381GFMU123456
                state_dir: state
                buses:
                  - {name: powertrain, interface: vcan0, dbc: demo.dbc}
                mqtt:
                  url: tcp://localhost:1883
                ota:
                  slot_a: slot-a.img
                  slot_b: slot-b.img
                  boot_control: {backend: uboot, fw_env_config: fw_env.config, slot_variable: boot_part}
                  trust: keys/trust.yaml
                  reboot_command: [/bin/true]
                  health_deadline: 30s
                  health_commands: [[%s]]
                """.formatted(health));
    }

    @AfterEach void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private int ota(String... args) {
        out.reset();
        err.reset();
        String[] all = new String[args.length + 3];
        all[0] = "ota";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        return Main.run(all);
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private int installOnA() {
        return ota("install", "--booted-slot", "A", "--current-version", "1.0.0", "--manifest", dir.resolve("release/manifest.bin").toString(),
                "--patch", dir.resolve("release/patch.bin").toString(), "--no-reboot");
    }

    @Test void installSwitchesToATrialAndTheHealthyNewSlotCommits() throws Exception {
        assertEquals(0, installOnA(), err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("install: VERIFIED") && out().contains("install: REBOOT_REQUESTED") && out().contains("install: slot B holds 2.0.0"), out());
        assertArrayEquals(newImage, Files.readAllBytes(slotB));
        assertArrayEquals(oldImage, Files.readAllBytes(slotA));
        Map<String, String> v = env.read();
        assertEquals("3", v.get("boot_part"));
        assertEquals("1", v.get("upgrade_available"));
        assertEquals("0", v.get("bootcount"));

        assertEquals(0, ota("boot-verify", "--booted-slot", "B", "--no-reboot"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("boot-verify: committed 1.0.0 -> 2.0.0 on slot B"), out());
        assertEquals("0", env.read().get("upgrade_available"));
        assertEquals("3", env.read().get("boot_part"));

        assertEquals(0, ota("boot-verify", "--booted-slot", "B", "--no-reboot"));
        assertTrue(out().contains("nothing to verify on slot B"), out());
        assertEquals(0, ota("status", "--booted-slot", "B"));
        assertTrue(out().contains("slot B        GOOD, version 2.0.0"), out());
        assertTrue(out().contains("#1 1.0.0 -> 2.0.0 SUCCESS"), out());
    }

    @Test void failedHealthCheckRollsBackAndTheOldSlotReportsIt() throws Exception {
        assertEquals(0, installOnA());
        Files.writeString(healthFail, "x");
        assertEquals(VgateCommand.EXIT_REJECTED, ota("boot-verify", "--booted-slot", "B", "--no-reboot"));
        assertTrue(out().contains("slot B failed: health check 'health.sh' failed") && out().contains("vcan0 silent"), out());
        // said once, before the reboot is asked for (a real reboot may end the process before it returns)
        assertEquals(1, out().split("slot B failed", -1).length - 1, out());
        assertEquals("2", env.read().get("boot_part"));
        assertEquals("0", env.read().get("upgrade_available"));

        assertEquals(VgateCommand.EXIT_REJECTED, ota("boot-verify", "--booted-slot", "A", "--no-reboot"));
        assertTrue(out().contains("boot-verify: rolled back 1.0.0 -> 2.0.0, running slot A: rolled back after failed health checks"), out());
        assertEquals(0, ota("status", "--booted-slot", "A"));
        assertTrue(out().contains("ROLLED_BACK") && out().contains("install       none unfinished"), out());
    }

    @Test void bootloaderFallbackAfterTheAttemptsIsDetectedOnTheOldSlot() throws Exception {
        assertEquals(0, installOnA());
        // what U-Boot's altbootcmd does once bootcount passes bootlimit
        env.update(v -> {
            v.put("boot_part", "2");
            v.put("upgrade_available", "0");
            v.put("bootcount", "0");
        });
        assertEquals(VgateCommand.EXIT_REJECTED, ota("boot-verify", "--booted-slot", "A", "--no-reboot"));
        assertTrue(out().contains("rolled back 1.0.0 -> 2.0.0, running slot A: bootloader fell back to slot A"), out());
    }

    @Test void aSecondUpdateWaitsForTheUnfinishedOneAndAbortKeepsTheOldSlot() throws Exception {
        assertEquals(0, installOnA());
        Files.write(dir.resolve("other.bin"), new byte[] {1, 2, 3});
        assertEquals(1, ota("install", "--booted-slot", "A", "--current-version", "1.0.0", "--manifest", dir.resolve("other.bin").toString(),
                "--patch", dir.resolve("release/patch.bin").toString(), "--no-reboot"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("install 1 (1.0.0 -> 2.0.0) is unfinished at REBOOT_REQUESTED"), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, ota("abort", "--booted-slot", "A"));
        assertEquals("2", env.read().get("boot_part"));
        assertEquals("0", env.read().get("upgrade_available"));
    }

    @Test void withoutAnAltbootcmdTheSwitchIsRefusedAndNothingIsSwitched() throws Exception {
        env.update(v -> v.remove("altbootcmd"));
        assertEquals(1, installOnA());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("altbootcmd is not set"), err.toString(StandardCharsets.UTF_8));
        assertEquals("2", env.read().get("boot_part"));
        assertArrayEquals(oldImage, Files.readAllBytes(slotA));
    }

    @Test void aConfigWithoutOtaIsAClearError() throws Exception {
        Files.writeString(config, Files.readString(config).replaceAll("(?s)ota:.*", ""));
        assertEquals(1, ota("status", "--booted-slot", "A"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no ota section"), err.toString(StandardCharsets.UTF_8));
    }
}
