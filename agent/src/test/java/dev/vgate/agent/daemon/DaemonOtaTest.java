package dev.vgate.agent.daemon;

import com.sun.net.httpserver.HttpServer;
import dev.vgate.agent.Main;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.mqtt.testing.Mosquitto;
import dev.vgate.ota.OtaService;
import dev.vgate.ota.boot.UbootEnvStore;
import dev.vgate.ota.install.InstallState;
import dev.vgate.protocol.command.CommandResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OTA through the product: {@code vgate run} configured as docs/configuration.md documents it (U-Boot backend on an
 * environment file, the default bootcount scheme with the config's slot variable), a signed start-ota over the
 * MQTT command path, the patch downloaded over HTTP. The daemon must arm exactly the variables the config names,
 * and {@code vgate ota status / boot-verify} must see and finish the daemon's install (one state database).
 */
class DaemonOtaTest {
    static final String VIN = "VGATE0OTA00000001";
    static final int SIZE = 192 * 1024;
    @TempDir Path dir;
    private Mosquitto broker;
    private HttpServer http;
    private TestCloud cloud;
    private VgateDaemon daemon;
    private Path config, slotB;
    private byte[] newImage;
    private UbootEnvStore env;

    @BeforeEach void device() throws Exception {
        broker = Mosquitto.start(dir.resolve("broker"));
        Path release = dir.resolve("release");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/patch.bin", ex -> {
            byte[] b = Files.readAllBytes(release.resolve("patch.bin"));
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        http.start();
        OtaRig rig = new OtaRig(dir, SIZE, 7, 200).makeRelease("http://127.0.0.1:" + http.getAddress().getPort() + "/patch.bin");
        newImage = rig.newImage;
        slotB = rig.slotB;
        env = rig.env;
        cloud = new TestCloud(VIN);
        rig.trust(cloud); // one trust file: the release key has role ota
        config = rig.config(VIN, broker.url()); // scheme is not given: the documented default (bootcount) applies
    }

    @AfterEach void stop() {
        if (daemon != null) daemon.stop();
        if (cloud != null) cloud.close();
        if (http != null) http.stop(0);
        if (broker != null) broker.close();
    }

    @Test void aCloudStartOtaArmsTheConfiguredBootcountVariablesAndTheCliSeesTheInstall() throws Exception {
        daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC());
        daemon.start();
        assertTrue(daemon.mqtt() instanceof dev.vgate.mqtt.PahoMqttLink p && p.awaitConnected(java.time.Duration.ofSeconds(20)), "daemon connected");
        awaitRunning("commands");
        awaitRunning("ota");

        cloud.connect(broker.url());
        String id = cloud.send("start-ota", Map.of(), Files.readAllBytes(dir.resolve("release/manifest.bin")));
        CommandResponse result = cloud.awaitResult(id, java.time.Duration.ofSeconds(30));
        assertEquals(CommandResponse.Status.COMPLETED, result.getStatus(), result.toString());
        OtaService ota = daemon.otaService();
        assertTrue(ota.awaitIdle(60, TimeUnit.SECONDS), "the install finished");
        assertEquals(InstallState.REBOOT_REQUESTED, ota.current().orElseThrow().state());

        Map<String, String> v = env.read();
        assertEquals("3", v.get("boot_part"), "the trial slot, in the variable the config names: " + v);
        assertEquals("1", v.get("upgrade_available"), v.toString());
        assertEquals("0", v.get("bootcount"), v.toString());
        assertFalse(v.containsKey("BOOT_ORDER") || v.containsKey("BOOT_B_LEFT"), "no RAUC variables in a bootcount environment: " + v);
        assertArrayEquals(newImage, Arrays.copyOf(Files.readAllBytes(slotB), SIZE));
        daemon.stop();
        daemon = null;

        String status = cli("status", "--booted-slot", "A");
        assertTrue(status.contains("primary slot  B  (uboot)"), status);
        assertTrue(status.contains("slot B        TRIAL, version 2.0.0"), status);
        assertTrue(status.contains("install       #1 1.0.0 -> 2.0.0 into slot B: REBOOT_REQUESTED"), status);

        String verified = cli("boot-verify", "--booted-slot", "B", "--no-reboot");
        assertTrue(verified.contains("boot-verify: committed 1.0.0 -> 2.0.0 on slot B"), verified);
        assertEquals("0", env.read().get("upgrade_available"));
        assertTrue(cli("status", "--booted-slot", "B").contains("slot B        GOOD, version 2.0.0"));
    }

    private String cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 3];
            all[0] = "ota";
            System.arraycopy(args, 0, all, 1, args.length);
            all[args.length + 1] = "--config";
            all[args.length + 2] = config.toString();
            int code = Main.run(all);
            assertEquals(0, code, "vgate ota " + String.join(" ", args) + ": " + out);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private void awaitRunning(String part) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, Object> s = (Map<String, Object>) daemon.supervisor().status().get(part);
            if (s != null && "running".equals(s.get("state"))) return;
            Thread.sleep(20);
        }
        throw new AssertionError(part + " did not start: " + daemon.supervisor().status().get(part));
    }
}
