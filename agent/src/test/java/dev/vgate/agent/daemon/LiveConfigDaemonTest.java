package dev.vgate.agent.daemon;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.mqtt.MoquetteBroker;
import dev.vgate.protocol.command.CommandResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinylog.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.vgate.command.TestKeys.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * vgate run as configured by a user (a replay bus playing a recording, a local MQTT broker, signed commands)
 * takes live rules, collection-policy and DBC-set updates over the MQTT command path, signed by a key with the
 * trust file's {@code config} role, while frames flow: every
 * frame of the recording is handled (frame counters), a bad update is refused with its reasons and leaves the
 * old version active, an older version is refused, and after a restart the last good versions boot.
 */
class LiveConfigDaemonTest {
    /** BMS_Thermal every 10 ms for 20 s: BMS_Temp climbs 30 -> 70 degC; CoolantTemp 40 (the updates happen meanwhile). */
    private static final int FRAMES = 2000;

    @TempDir Path dir;
    private MoquetteBroker broker;
    private VgateDaemon daemon;

    @AfterEach void stop() throws Exception {
        if (daemon != null) daemon.stop();
        if (broker != null) broker.close();
    }

    @Test void rulesPolicyAndDbcSetUpdatesApplyLiveWithoutLosingAFrame() throws Exception {
        broker = MoquetteBroker.start(Files.createDirectories(dir.resolve("broker")));
        Path config = writeConfig();
        daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC());
        daemon.start();
        await(() -> daemon.pipeline("pt") != null && daemon.pipeline("pt").frames() > 50, 10_000, "frames flowing");
        java.util.List<long[]> captured = new java.util.concurrent.CopyOnWriteArrayList<>(); // {first sample us, trigger ms, samples}
        dev.vgate.mqtt.PahoMqttLink cloudSide = new dev.vgate.mqtt.PahoMqttLink(dev.vgate.mqtt.MqttSettings.of(broker.url(), "cloud-telemetry")).start();
        cloudSide.subscribe("#", 1, msg -> {
            try {
                var batch = dev.vgate.buffer.wire.BatchDecoder.parse(msg.payload());
                // per capture stream of this batch: {first sample us, trigger ms, samples, priority} (any batch schema)
                Map<String, long[]> byBus = new java.util.LinkedHashMap<>();
                dev.vgate.buffer.wire.BatchDecoder.visit(batch, (t, bus, message, signal, raw, value) -> {
                    if (!bus.startsWith("capture/")) return;
                    String event = bus.split("/")[1]; // RULE-TRIGGERMS
                    long[] c = byBus.computeIfAbsent(bus, b -> new long[] {Long.MAX_VALUE, Long.parseLong(event.substring(event.lastIndexOf('-') + 1)), 0,
                            batch.getPriorityValue()});
                    c[0] = Math.min(c[0], t);
                    c[2]++;
                });
                captured.addAll(byBus.values());
            } catch (Exception notABatch) {
                // alerts, status, command responses
            }
        });
        try (CommandClient cloud = CommandClient.connect(broker.url(), 5000)) {
            long before = daemon.pipeline("pt").frames();
            // 1. collection policy v7 (BMS_Temp at most once a second; a capture policy "thermal"); one naming a bus that
            //    does not exist is refused
            CommandResponse pol = send(cloud, "collection-policy", 7, "version: 1\ndefault: {mode: every}\nrules:\n  - {match: CoolantTemp, mode: on-change}\n"
                    + "  - {match: BMS_Temp, mode: max-rate, interval_ms: 1000}\n"
                    + "captures:\n  thermal: {signals: [BMS_Temp, CoolantTemp]}\n");
            assertEquals(CommandResponse.Status.COMPLETED, pol.getStatus(), pol.getDetail());
            CommandResponse badPol = send(cloud, "collection-policy", 8, "version: 1\nrules:\n  - {match: CoolantTemp, bus: nope, mode: off}\n");
            assertEquals("INVALID", badPol.getReasonCode());
            assertTrue(badPol.getDetail().contains("bus 'nope' is not a configured bus (pt)"), badPol.getDetail());
            // 2. rules v1: a rule the configuration did not have, capturing "thermal" 5 s before to 2 s after its trigger
            CommandResponse r = send(cloud, "rules", 1, """
                    rules:
                      - name: pack-warm
                        when: BMS_Temp > 45 degC
                        actions:
                          - alert: { severity: info }
                          - capture: { policy: thermal, before: 5s, after: 2s }
                    """);
            assertEquals(CommandResponse.Status.COMPLETED, r.getStatus(), r.getDetail());
            assertEquals("1", r.getValuesMap().get("version"));
            // 3. a bad rules update (unknown signal), one naming an undefined capture, a stale one: refused, v1 stays
            CommandResponse bad = send(cloud, "rules", 2, "rules:\n  - { name: x, when: BMS_Tmp > 1, actions: [ { alert: { severity: info } } ] }\n");
            assertEquals(CommandResponse.Status.FAILED, bad.getStatus());
            assertEquals("INVALID", bad.getReasonCode());
            assertTrue(bad.getDetail().contains("rule 'x', field 'when': at column 1: unknown signal 'BMS_Tmp'"), bad.getDetail());
            CommandResponse stale = send(cloud, "rules", 1, "rules:\n  - { name: y, when: BMS_Temp > 1, actions: [ { alert: { severity: info } } ] }\n");
            assertEquals("STALE_VERSION", stale.getReasonCode(), stale.getDetail());
            CommandResponse noCapture = send(cloud, "rules", 2, "rules:\n  - { name: y, when: BMS_Temp > 1, actions: [ { capture: { policy: nope, before: 1s } } ] }\n");
            assertTrue(noCapture.getDetail().contains("capture policy 'nope' is not defined by the active collection policy"), noCapture.getDetail());
            CommandResponse dropsThermal = send(cloud, "collection-policy", 8, "version: 1\n");
            assertTrue(dropsThermal.getDetail().contains("rule 'pack-warm': capture policy 'thermal' is not defined"), dropsThermal.getDetail());
            // 4. a DBC set whose BMS_Thermal carries one more signal; one that renames BMS_Temp (which the active
            //    rules read) is refused and changes nothing
            String demo = new String(DemoDbc.class.getResourceAsStream(DemoDbc.RESOURCE).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String pump = " SG_ CoolantPumpDuty : 40|7@1+ (1,0) [0|100] \"%\" VCU,GW";
            assertTrue(demo.contains(pump));
            String withSpare = demo.replace(pump, pump + "\n SG_ ThermalSpare : 48|8@1+ (1,0) [0|255] \"\" GW");
            CommandResponse badDbc = send(cloud, "dbc-set", 1, dbcSet(demo.replace("BMS_Temp :", "PackTemp :")));
            assertEquals("INVALID", badDbc.getReasonCode());
            assertTrue(badDbc.getDetail().contains("the active rules do not load against this DBC set"), badDbc.getDetail());
            assertTrue(daemon.lastValues().latest("ThermalSpare").isEmpty());
            CommandResponse dbcOk = send(cloud, "dbc-set", 1, dbcSet(withSpare));
            assertEquals(CommandResponse.Status.COMPLETED, dbcOk.getStatus(), dbcOk.getDetail());
            await(() -> daemon.lastValues().latest("ThermalSpare").isPresent(), 5000, "the new DBC decoding");
            assertEquals(0x50, daemon.lastValues().latest("ThermalSpare").get().value(), 0.0);
            long after = daemon.pipeline("pt").frames();
            System.out.printf("updates applied while frames flowed: pipeline frames %d -> %d%n", before, after);
            assertTrue(after > before, "frames kept flowing during the updates");

            Map<String, Object> status = daemon.status();
            assertEquals(1L, version(status, "rules"));
            assertEquals(7L, version(status, "collection_policy"));
            assertEquals(1L, version(status, "dbc_set"));
            await(() -> daemon.pipeline("pt").frames() == FRAMES, 40_000, "every frame of the recording handled");
            assertEquals(FRAMES, daemon.pipeline("pt").frames(), "no frame lost across the swaps");
            System.out.printf("recording %d frames, handled %d, decoded %d%n", FRAMES, daemon.pipeline("pt").frames(), daemon.pipeline("pt").framesDecoded());
            assertEquals(FRAMES, daemon.pipeline("pt").framesDecoded());
            @SuppressWarnings("unchecked") Map<String, Object> rules = (Map<String, Object>) ((Map<String, Object>) daemon.supervisor().status().get("rules"));
            @SuppressWarnings("unchecked") Map<String, Object> warm = (Map<String, Object>) rules.get("pack-warm");
            assertEquals(1L, warm.get("fired"), "the updated rule runs: " + rules);
            // the capture arrives at the cloud: CAPTURE priority, its event id, reaching back at least 'before' (5 s)
            // although the policy keeps BMS_Temp only once a second
            // 7 s of two 100 Hz signals: about 1400 samples (the upload interval is 1 s)
            await(() -> captured.stream().mapToLong(c -> c[2]).sum() >= 1300, 15_000, () -> "the capture uploaded (so far "
                    + captured.stream().mapToLong(c -> c[2]).sum() + " samples in " + captured.size() + " chunks: " + captured.stream().map(c -> (c[1] * 1000 - c[0]) / 1000 + "ms-before x" + c[2]).toList() + "; buffer " + daemon.supervisor().status().get("telemetry") + ")");
            long first = captured.stream().mapToLong(c -> c[0]).min().getAsLong(), trigger = captured.get(0)[1];
            long samples = captured.stream().mapToLong(c -> c[2]).sum();
            System.out.printf("capture: first sample %.3f s before the trigger, %d samples (2 signals, 100 Hz), priority %d%n",
                    (trigger * 1000 - first) / 1e6, samples, captured.get(0)[3]);
            assertTrue(trigger * 1000 - first >= 5_000_000, "first sample " + (trigger * 1000 - first) + " us before the trigger");
            assertTrue(trigger * 1000 - first < 5_100_000, "and not much more: its value at the window's start");
            assertEquals(dev.vgate.buffer.Priority.CAPTURE.code(), (int) captured.get(0)[3]);
        }
        cloudSide.close();
        // restart: the last good versions boot, not the configuration's files
        daemon.stop();
        daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC());
        daemon.start();
        Map<String, Object> status = daemon.status();
        assertEquals(1L, version(status, "rules"));
        assertEquals(7L, version(status, "collection_policy"));
        assertEquals(1L, version(status, "dbc_set"));
        await(() -> daemon.supervisor().status().get("rules") instanceof Map<?, ?> m && m.containsKey("pack-warm"), 5000, "rules v1 after the restart");
        await(() -> daemon.lastValues().latest("ThermalSpare").isPresent(), 10_000, "the updated DBC set after the restart");
    }

    private static String dbcSet(String dbcText) {
        StringBuilder sb = new StringBuilder("buses:\n  pt:\n    - name: demo-v2.dbc\n      text: |\n");
        for (String line : dbcText.split("\n")) sb.append("        ").append(line.replace("\r", "")).append('\n');
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static long version(Map<String, Object> status, String kind) {
        return ((Number) ((Map<String, Object>) ((Map<String, Object>) status.get("config")).get(kind)).get("version")).longValue();
    }

    private CommandResponse send(CommandClient cloud, String type, long version, String body) throws Exception {
        byte[] env = signed(command(type, System.currentTimeMillis()).putParams("version", Long.toString(version))
                .setBody(com.google.protobuf.ByteString.copyFromUtf8(body)), OWNER);
        CommandClient.Exchange ex = cloud.send(VIN, env, 30);
        return ex.result.get(15, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier cond, long ms, String what) throws InterruptedException {
        await(cond, ms, () -> what);
    }

    private static void await(BooleanSupplier cond, long ms, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what.get());
            Thread.sleep(20);
        }
    }

    private Path writeConfig() throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        StringBuilder log = new StringBuilder();
        for (int k = 0; k < FRAMES; k++) {
            int raw = 300 + k * 400 / FRAMES; // BMS_Temp 0.1 degC
            log.append(String.format("(%d.%06d) can0 101#%02X%02X000050005000%n", 1_700_000_000 + k / 100, (k % 100) * 10_000, raw & 0xFF, raw >> 8));
        }
        Files.writeString(dir.resolve("drive.log"), log);
        Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - name: cutoff\n    when: BMS_Temp > 90 degC\n    actions: [ { alert: { severity: critical } } ]\n");
        Path keys = Files.createDirectories(dir.resolve("keys"));
        PemKeys.writePublic(keys.resolve(OWNER + ".pub.pem"), key(OWNER).publicKey());
        for (String id : ROOTS) PemKeys.writePublic(keys.resolve(id + ".pub.pem"), key(id).publicKey());
        Files.writeString(dir.resolve("trust.yaml"), "version: 1\nkeys:\n"
                + "  - id: owner-app-1\n    public_key: keys/owner-app-1.pub.pem\n    commands: [lock]\n    roles: [config]\n"
                + "root:\n  threshold: 2\n  keys:\n"
                + "    - {id: root-1, public_key: keys/root-1.pub.pem}\n"
                + "    - {id: root-2, public_key: keys/root-2.pub.pem}\n"
                + "    - {id: root-3, public_key: keys/root-3.pub.pem}\n");
        Path config = dir.resolve("vgate.yaml");
        Files.writeString(config, """
                vehicle_id: %s
                state_dir: state
                buses:
                  - name: pt
                    kind: replay
                    interface: can0
                    log: drive.log
                    dbc: demo.dbc
                mqtt:
                  url: %s
                telemetry:
                  upload_interval: 1s
                rules: rules.yaml
                commands:
                  trust: trust.yaml
                  max_payload: 64KiB
                status:
                  file: %s
                """.formatted(VIN, broker.url(), dir.resolve("run/status.json")));
        return config;
    }
}
