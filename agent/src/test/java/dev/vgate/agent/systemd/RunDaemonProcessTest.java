package dev.vgate.agent.systemd;

import dev.vgate.agent.Main;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code vgate run} as systemd runs it: a real child JVM with the unit's JVM options and systemd's notify
 * environment, a real MQTT broker (Moquette, in this JVM) and a replayed CAN log of the demo EV. The group
 * commit window is set to its maximum (1 min), so nothing reaches the buffer's disk or the broker while the
 * daemon runs: every telemetry sample the broker sees was in the open group when SIGTERM arrived, and got
 * there only because the orderly stop committed and uploaded it.
 */
class RunDaemonProcessTest {
    private static final String VEHICLE = "TESTVIN0000000001";
    private static final long WATCHDOG_MS = 3000;
    private static final String TOPICS = "fleet/eu/gw-7";

    @TempDir Path dir;

    @Test void runsAsANotifyServiceAndFlushesTheOpenGroupOnSigterm() throws Exception {
        Path config = writeConfig();
        List<MqttLink.Incoming> telemetry = new CopyOnWriteArrayList<>();
        Map<String, String> status = new ConcurrentHashMap<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             NotifyReceiver systemd = NotifyReceiver.start(dir.resolve("notify").toString())) {
            Files.writeString(config, Files.readString(config).replace("BROKER_URL", broker.url()));
            PahoMqttLink cloud = new PahoMqttLink(MqttSettings.of(broker.url(), "cloud-test")).start();
            assertTrue(cloud.awaitConnected(Duration.ofSeconds(30)), "test subscriber did not connect");
            cloud.subscribe(TOPICS + "/telemetry", 1, telemetry::add); // mqtt.topic_prefix holds for every topic
            cloud.subscribe(TOPICS + "/status", 1,
                    m -> status.put("last", new String(m.payload(), StandardCharsets.UTF_8)));

            Process vgate = start(config, dir.resolve("notify").toString());
            try {
                NotifyReceiver.Datagram ready = systemd.next(60_000);
                assertNotNull(ready, "no READY=1 within 60 s; log:\n" + log());
                assertTrue(ready.text().startsWith("READY=1"), ready.text());
                assertEquals(vgate.pid(), ready.pid(), "READY=1 from the main pid (NotifyAccess=main)");

                NotifyReceiver.Datagram ping = systemd.next(WATCHDOG_MS * 5);
                assertNotNull(ping, "no watchdog ping after READY=1; log:\n" + log());
                assertEquals("WATCHDOG=1", ping.text());

                // frames are decoded and the status is published (retained) and written for `vgate status`
                Path statusFile = dir.resolve("run/status.json");
                await("the status file to report decoded frames", 60, () -> decodedFrames(statusFile) > 100);
                await("a status message on the broker", 30, () -> status.containsKey("last"));
                assertTrue(status.get("last").contains("\"vehicle\":\"" + VEHICLE + "\""), status.get("last"));
                int exit = Main.run("status", "--file", statusFile.toString());
                assertEquals(0, exit, "vgate status reads the running agent's file");
                assertEquals(0, telemetry.size(), "nothing uploaded before the 1 min group commit window ends");
                assertEquals(0, committedSamples(statusFile), "nothing committed yet");

                vgate.destroy(); // SIGTERM, as systemctl stop sends
                NotifyReceiver.Datagram stopping;
                do {
                    stopping = systemd.next(20_000);
                } while (stopping != null && stopping.text().equals("WATCHDOG=1"));
                assertNotNull(stopping, "no STOPPING=1 after SIGTERM");
                assertTrue(stopping.text().startsWith("STOPPING=1"), stopping.text());
                assertTrue(vgate.waitFor(30, TimeUnit.SECONDS), "vgate did not exit within 30 s of SIGTERM; log:\n" + log());
                assertEquals(0, vgate.exitValue(), "orderly stop exits 0; log:\n" + log());
            } finally {
                vgate.destroyForcibly();
            }

            // the open group was committed at the stop, then uploaded while the MQTT session was still open
            await("telemetry to reach the broker", 10, () -> !telemetry.isEmpty());
            AtomicLong temps = new AtomicLong();
            AtomicLong voltages = new AtomicLong();
            long samples = 0;
            for (MqttLink.Incoming m : telemetry) {
                TelemetryBatch b = BatchDecoder.parse(m.payload());
                assertEquals(VEHICLE, b.getVehicleId());
                samples += BatchDecoder.visit(b, (ts, bus, msg, signal, raw, value) -> {
                    assertEquals("powertrain", bus);
                    if (signal.equals("BMS_Temp")) {
                        assertEquals(25.0, value, 1e-9);
                        temps.incrementAndGet();
                    }
                    if (signal.equals("PackVoltage")) {
                        assertEquals(400.0, value, 1e-9);
                        voltages.incrementAndGet();
                    }
                });
            }
            assertTrue(temps.get() > 50 && voltages.get() > 50, "samples uploaded at the stop: " + samples);
            cloud.close();
        }
        Path statusFile = dir.resolve("run/status.json");
        assertTrue(Files.readString(statusFile).contains("\"running\": false"), "the last report says stopped");
        assertEquals(1, Main.run("status", "--file", statusFile.toString()), "vgate status: not running");
        String log = log();
        assertTrue(log.contains("SIGTERM received"), log);
        assertTrue(log.contains("vgate stopped"), log);
        // what was uploaded and acknowledged left the buffer; what the broker did not acknowledge stays on disk
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("state/telemetry.db"), 1L << 24)) {
            assertEquals(0, store.stats().totalSamples(), "every committed sample was acknowledged before exit");
        }
    }

    private Process start(Path config, String notifySocket) throws IOException {
        List<String> exec = RepoFiles.execStart();
        int jar = exec.indexOf("-jar");
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "WATCHDOG_PID=$$ exec \"$@\"", "sh"));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(exec.subList(1, jar)); // the unit's JVM options: the heap limit holds in this test too
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("vgate.log").toFile());
        pb.environment().put("NOTIFY_SOCKET", notifySocket);
        pb.environment().put("WATCHDOG_USEC", Long.toString(WATCHDOG_MS * 1000));
        return pb.start();
    }

    private Path writeConfig() throws IOException {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        try (InputStream in = dev.vgate.rules.RuleSet.class.getResourceAsStream("/dev/vgate/rules/default-rules.yaml")) {
            assertNotNull(in, "default rules on the classpath");
            Files.write(dir.resolve("rules.yaml"), in.readAllBytes());
        }
        // 2 s of the demo EV at 50 Hz per message: pack at 400 V / -50 A / 80 %, battery at 25 degC
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String t = String.format("(%d.%06d)", 1_700_000_000 + i / 50, (i % 50) * 20_000);
            log.append(t).append(" vcan0 100#401F0CFE202B0000\n");
            log.append(t).append(" vcan0 101#FA00414141140000\n");
        }
        Files.writeString(dir.resolve("drive.log"), log);
        Path config = dir.resolve("vgate.yaml");
        Files.writeString(config, """
                vehicle_id: %s
                state_dir: state
                buses:
                  - name: powertrain
                    kind: replay
                    log: drive.log
                    loop: true
                    dbc: demo.dbc
                mqtt:
                  url: BROKER_URL
                  topic_prefix: fleet/eu/gw-7
                  keepalive: 5s
                telemetry:
                  group_commit: 1min
                  upload_interval: 100ms
                rules: rules.yaml
                status:
                  file: %s
                  publish_period: 1s
                """.formatted(VEHICLE, dir.resolve("run/status.json")));
        return config;
    }

    private static long decodedFrames(Path statusFile) {
        return number(statusFile, "\"decoded\":");
    }

    private static long committedSamples(Path statusFile) {
        return number(statusFile, "\"committed_samples\":");
    }

    /** The first number after {@code key} in the status JSON (-1 when absent). */
    private static long number(Path statusFile, String key) {
        try {
            String json = Files.readString(statusFile);
            int i = json.indexOf(key);
            if (i < 0) return -1;
            int s = i + key.length();
            while (s < json.length() && json.charAt(s) == ' ') s++;
            int e = s;
            while (e < json.length() && Character.isDigit(json.charAt(e))) e++;
            return Long.parseLong(json.substring(s, e));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("waited " + seconds + " s for " + what + "; vgate log:\n" + log());
            Thread.sleep(50);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("vgate.log"));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
