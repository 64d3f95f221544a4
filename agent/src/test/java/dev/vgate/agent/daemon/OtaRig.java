package dev.vgate.agent.daemon;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.Main;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.ota.boot.FwEnvConfig;
import dev.vgate.ota.boot.UbootEnvFormat;
import dev.vgate.ota.boot.UbootEnvStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The device of the daemon's OTA tests, in one folder: slot A holding image 1.0.0 and an empty slot B, a signed
 * release 1.0.0 → 2.0.0 (bsdiff patch, made with the CLI's own {@code ota keygen} and {@code ota make-patch}),
 * U-Boot's environment as a board with boot counting keeps it (systest/uboot/boot.cmd: the slot in boot_part), the
 * command trust file naming the release key, and the vgate.yaml that configures OTA as docs/configuration.md does.
 */
final class OtaRig {
    final Path dir;
    final int size;
    final byte[] oldImage;
    final byte[] newImage;
    final Path slotA;
    final Path slotB;
    final Path release;
    final UbootEnvStore env;

    /** Images of {@code size} bytes from {@code seed}; the new one differs in {@code changes} random bytes. */
    OtaRig(Path dir, int size, long seed, int changes) throws Exception {
        this.dir = dir;
        this.size = size;
        Random r = new Random(seed);
        oldImage = new byte[size];
        r.nextBytes(oldImage);
        newImage = oldImage.clone();
        for (int i = 0; i < changes; i++) newImage[r.nextInt(size)] = (byte) r.nextInt();
        slotA = Files.write(dir.resolve("slot-a.img"), oldImage);
        slotB = Files.write(dir.resolve("slot-b.img"), new byte[size]);
        release = dir.resolve("release");

        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("boot_part", "2");
        vars.put("upgrade_available", "0");
        vars.put("bootcount", "0");
        vars.put("bootlimit", "3");
        vars.put("altbootcmd", "setenv boot_part 2; setenv upgrade_available 0; saveenv; run bootcmd");
        Files.write(dir.resolve("uboot.env"), UbootEnvFormat.encode(vars, 0x4000, false));
        Files.writeString(dir.resolve("fw_env.config"), "uboot.env 0x0 0x4000\n");
        env = new UbootEnvStore(FwEnvConfig.load(dir.resolve("fw_env.config")));
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
    }

    /** Release keys and the signed release (manifest.bin, patch.bin) into {@code release/}; the manifest points at {@code patchUrl}. */
    OtaRig makeRelease(String patchUrl) {
        Path next = dir.resolve("2.0.img");
        try {
            Files.write(next, newImage);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(0, Main.run("ota", "keygen", "--out", dir.resolve("keys").toString()));
        assertEquals(0, Main.run("ota", "make-patch", slotA.toString(), next.toString(), "--key", dir.resolve("keys/release").toString(),
                "--version", "2.0.0", "--base-version", "1.0.0", "--hardware", "test-gw", "--out", release.toString(),
                "--patch-url", patchUrl));
        return this;
    }

    /** The command trust file (cmd-trust.yaml) with {@code cloud}'s operator and the release key (role ota). */
    void trust(TestCloud cloud) throws Exception {
        cloud.writeTrust(dir, List.of("start-ota"), dir.resolve("keys/release.pub.pem"));
    }

    /** vgate.yaml: the virtual bus, {@code mqttUrl}, commands, OTA on the U-Boot environment (default bootcount scheme). */
    Path config(String vehicleId, String mqttUrl) throws Exception {
        return VgateYaml.vehicle(vehicleId).mqtt(mqttUrl).with("""
                commands:
                  trust: cmd-trust.yaml
                ota:
                  slot_a: slot-a.img
                  slot_b: slot-b.img
                  boot_control: {backend: uboot, fw_env_config: fw_env.config, slot_variable: boot_part, slot_a_value: "2", slot_b_value: "3", attempts: 2}
                  booted_slot: A
                  hardware_id: test-gw
                  image_version: 1.0.0
                  reboot_command: [/bin/true]
                  health_deadline: 30s
                """).writeTo(dir);
    }
}
