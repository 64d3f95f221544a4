package dev.vgate.agent.daemon;

import dev.vgate.agent.Main;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import dev.vgate.ota.OtaListener;
import dev.vgate.ota.OtaService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
        OtaRig rig = new OtaRig(dir, SIZE, 12, 50).makeRelease("http://127.0.0.1:1/patch.bin");
        rig.trust(new TestCloud("VGATE0OTA00000002"));
        Path configFile = rig.config("VGATE0OTA00000002", "tcp://127.0.0.1:1");
        Path release = rig.release;
        // the update is installed and slot B armed for a trial boot (the CLI and the daemon share one install state) ...
        assertEquals(0, Main.run("ota", "install", "--manifest", release.resolve("manifest.bin").toString(),
                "--patch", release.resolve("patch.bin").toString(), "--no-reboot", "--config", configFile.toString()));
        // ... the trial boots of B fail and U-Boot falls back (its altbootcmd: back to A, trial off) ...
        rig.env.update(v -> {
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
