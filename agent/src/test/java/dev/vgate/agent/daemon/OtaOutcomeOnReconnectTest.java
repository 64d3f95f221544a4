package dev.vgate.agent.daemon;

import dev.vgate.agent.Main;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import dev.vgate.ota.OtaListener;
import dev.vgate.ota.OtaService;
import dev.vgate.ota.boot.UbootEnvFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression (issue 12, found by the systest's daemon-ota scenario): an OTA outcome decided while the MQTT link is
 * down — here the boot-verify of a start after an update whose trial slot did not boot — is published when the
 * link comes back, without waiting for the next start of vgate.
 */
class OtaOutcomeOnReconnectTest {
    static final int SIZE = 64 * 1024;
    @TempDir Path dir;
    private OtaPart part;

    @AfterEach void stop() {
        if (part != null) part.stop();
    }

    /** A link that is down until {@link #connect}, which tells the listeners as Paho's reconnect does. */
    static final class SwitchableLink implements MqttLink {
        final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
        final List<String> published = new CopyOnWriteArrayList<>();
        volatile boolean connected;

        void connect() {
            connected = true;
            for (ConnectionListener l : listeners) l.onConnectionChange(true, "reconnected");
        }

        @Override public CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options) {
            if (!connected) return CompletableFuture.failedFuture(new MqttLinkException("not connected"));
            published.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(new PublishResult(0));
        }

        @Override public CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler) {
            return CompletableFuture.completedFuture(null);
        }

        @Override public boolean isConnected() { return connected; }

        @Override public void addConnectionListener(ConnectionListener listener) { listeners.add(listener); }

        @Override public void close() { connected = false; }
    }

    @Test void anOutcomeDecidedWhileTheLinkIsDownIsPublishedWhenItReconnects() throws Exception {
        Random r = new Random(12);
        byte[] oldImage = new byte[SIZE];
        r.nextBytes(oldImage);
        byte[] newImage = oldImage.clone();
        for (int i = 0; i < 50; i++) newImage[r.nextInt(SIZE)] = (byte) r.nextInt();
        Path slotA = Files.write(dir.resolve("slot-a.img"), oldImage);
        Files.write(dir.resolve("slot-b.img"), new byte[SIZE]);
        Path next = Files.write(dir.resolve("2.0.img"), newImage);
        assertEquals(0, Main.run("ota", "keygen", "--out", dir.resolve("keys").toString()));
        Path release = dir.resolve("release");
        assertEquals(0, Main.run("ota", "make-patch", slotA.toString(), next.toString(), "--key", dir.resolve("keys/release").toString(),
                "--version", "2.0.0", "--base-version", "1.0.0", "--hardware", "test-gw", "--out", release.toString(),
                "--patch-url", "http://127.0.0.1:1/patch.bin"));
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("boot_part", "2");
        vars.put("upgrade_available", "0");
        vars.put("bootcount", "0");
        vars.put("bootlimit", "3");
        vars.put("altbootcmd", "setenv boot_part 2; setenv upgrade_available 0; saveenv; run bootcmd");
        Files.write(dir.resolve("uboot.env"), UbootEnvFormat.encode(vars, 0x4000, false));
        Files.writeString(dir.resolve("fw_env.config"), "uboot.env 0x0 0x4000\n");
        new TestCloud("VGATE0OTA00000002").writeTrust(dir, List.of("start-ota"), dir.resolve("keys/release.pub.pem"));
        dev.vgate.dbc.DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Path configFile = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: VGATE0OTA00000002
                state_dir: state
                buses:
                  - {name: powertrain, kind: virtual, interface: can0, dbc: demo.dbc}
                mqtt:
                  url: tcp://127.0.0.1:1
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
                status:
                  file: run/status.json
                """);
        // the update is installed and slot B armed for a trial boot (the CLI and the daemon share one install state) ...
        assertEquals(0, Main.run("ota", "install", "--manifest", release.resolve("manifest.bin").toString(),
                "--patch", release.resolve("patch.bin").toString(), "--no-reboot", "--config", configFile.toString()));
        // ... the trial boots of B fail and U-Boot falls back (its altbootcmd: back to A, trial off) ...
        new dev.vgate.ota.boot.UbootEnvStore(dev.vgate.ota.boot.FwEnvConfig.load(dir.resolve("fw_env.config"))).update(v -> {
            v.put("boot_part", "2");
            v.put("upgrade_available", "0");
            v.put("bootcount", "3");
        });
        // ... and the device comes up on A: vgate's start decides the rollback while the broker is unreachable
        VgateConfig config = ConfigLoader.load(configFile);
        SwitchableLink link = new SwitchableLink();
        part = new OtaPart(config, DeviceTrust.open(config, DeviceTrust.load(config), Clock.systemUTC()), Clock.systemUTC(), link,
                () -> true, OtaListener.NONE);
        part.start();
        OtaService ota = part.service();
        await(() -> !pending(ota).isEmpty(), "the boot-verify decided an outcome");
        Thread.sleep(300);
        assertTrue(link.published.isEmpty(), "nothing can be published while the link is down: " + link.published);

        link.connect();
        await(() -> !link.published.isEmpty(), "the outcome published after the reconnect");
        String msg = link.published.get(0);
        assertTrue(msg.startsWith(config.mqtt().topicPrefix() + "/ota "), msg);
        assertTrue(msg.contains("\"from\":\"1.0.0\"") && msg.contains("\"to\":\"2.0.0\""), msg);
        assertFalse(msg.contains("\"result\":\"committed\""), "the trial slot did not boot: " + msg);
        await(() -> pending(ota).isEmpty(), "the outcome marked reported after the PUBACK");
        assertEquals(1, link.published.size(), link.published.toString());
    }

    private static List<?> pending(OtaService ota) {
        try {
            return ota.pendingOutcomes();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }
}
