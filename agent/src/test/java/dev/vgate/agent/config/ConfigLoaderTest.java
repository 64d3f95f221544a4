package dev.vgate.agent.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vgate.mqtt.MqttSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the file: defaults, relative paths, types, unknown fields, YAML errors, the effective-config log. */
class ConfigLoaderTest {
    @TempDir Path dir;
    ConfigFixture fx;

    @BeforeEach void setUp() throws IOException {
        fx = new ConfigFixture(dir);
    }

    @Test void minimalFileGetsGatewayDefaults() throws Exception {
        VgateConfig c = fx.load(ConfigFixture.VEHICLE + ConfigFixture.BUSES + ConfigFixture.MQTT
                + "state_dir: /var/lib/vgate\n");
        assertEquals("KMHK381GFMU123456", c.vehicleId());
        assertEquals(Path.of("/var/lib/vgate"), c.stateDir());
        assertEquals(Path.of("/var/lib/vgate/telemetry.db"), c.telemetryDatabase());
        BusConfig bus = c.buses().get(0);
        assertEquals(BusKind.SOCKETCAN, bus.kind());
        assertEquals(List.of(fx.file("dbc/ev.dbc")), bus.dbc());
        assertTrue(bus.idFilter().isEmpty());
        assertEquals("vgate-KMHK381GFMU123456", c.mqtt().clientId());
        assertEquals("vgate/KMHK381GFMU123456", c.mqtt().topicPrefix());
        assertEquals(Duration.ofSeconds(30), c.mqtt().keepalive());
        assertEquals(Duration.ofHours(1), c.mqtt().sessionExpiry());
        assertEquals(Duration.ofSeconds(10), c.mqtt().connectTimeout());
        assertEquals(Duration.ofMillis(500), c.mqtt().reconnectMin());
        assertEquals(Duration.ofSeconds(60), c.mqtt().reconnectMax());
        assertTrue(c.mqtt().tls().isEmpty());
        assertEquals(TelemetryConfig.defaults(), c.telemetry());
        assertEquals(StatusConfig.defaults(), c.status());
        assertEquals(LogLevel.INFO, c.logging().level());
        assertNull(c.rules());
        assertNull(c.commands());
        assertNull(c.ota());
        assertEquals(fx.file("vgate.yaml"), c.source());
    }

    @Test void fullFileBindsEveryField() throws Exception {
        VgateConfig c = fx.load("""
                vehicle_id_file: vehicle-id
                state_dir: state
                buses:
                  - name: powertrain
                    kind: socketcan
                    interface: can0
                    dbc: [dbc/ev.dbc, dbc/body.dbc]
                    id_filter: [0x100, "0x200-0x2FF", 1024]
                  - name: recorded
                    kind: replay
                    log: drive.log
                    loop: true
                    dbc: dbc/ev.dbc
                  - name: sim
                    kind: virtual
                    interface: vbus0
                    dbc: dbc/body.dbc
                mqtt:
                  url: ssl://mqtt.example.com:8883
                  client_id: gw-1
                  username: fleet
                  password: s3cret-pa55
                  tls: {ca: tls/ca.pem, cert: tls/vehicle.pem, key: tls/vehicle.key}
                  keepalive: 45s
                  session_expiry: 2h
                  topic_prefix: fleet/eu/gw-1
                  connect_timeout: 20s
                  reconnect_min: 1s
                  reconnect_max: 5min
                telemetry:
                  policy: policy.yaml
                  group_commit: 500ms
                  disk_quota: 64MiB
                  upload_batch_size: 250
                  upload_interval: 2s
                  upload_drain_rate: 16KiB
                rules: rules.yaml
                commands:
                  trust: trust.yaml
                  clock_skew: 10s
                  max_payload: 8KiB
                  can_mapping: commands-can.yaml
                ota:
                  slot_a: slot-a.img
                  slot_b: slot-b.img
                  boot_control: {backend: uboot, fw_env_config: fw_env.config}
                  reboot_command: [/bin/sh, -c, "true"]
                  health_deadline: 2min
                  health_commands:
                    - [/bin/sh, -c, "exit 0"]
                status:
                  file: /run/vgate/status.json
                  publish_period: 1min
                logging:
                  level: debug
                """);
        assertEquals("KMHK381GFMU999999", c.vehicleId(), "read from vehicle_id_file");
        assertEquals(fx.file("state"), c.stateDir());
        assertEquals(3, c.buses().size());
        BusConfig pt = c.buses().get(0);
        assertEquals(List.of(fx.file("dbc/ev.dbc"), fx.file("dbc/body.dbc")), pt.dbc());
        assertEquals(List.of(IdRange.single(0x100), new IdRange(0x200, 0x2FF), IdRange.single(1024)), pt.idFilter());
        assertTrue(pt.accepts(0x250));
        assertFalse(pt.accepts(0x300));
        BusConfig rec = c.buses().get(1);
        assertEquals(BusKind.REPLAY, rec.kind());
        assertEquals(fx.file("drive.log"), rec.log());
        assertTrue(rec.loop());
        assertEquals(BusKind.VIRTUAL, c.buses().get(2).kind());
        assertEquals("gw-1", c.mqtt().clientId());
        assertEquals("s3cret-pa55", c.mqtt().password().reveal());
        assertEquals(new TlsConfig(fx.file("tls/ca.pem"), fx.file("tls/vehicle.pem"), fx.file("tls/vehicle.key")),
                c.mqtt().tls());
        assertEquals(Duration.ofSeconds(45), c.mqtt().keepalive());
        assertEquals(Duration.ofHours(2), c.mqtt().sessionExpiry());
        assertEquals("fleet/eu/gw-1", c.mqtt().topicPrefix());
        MqttSettings settings = c.mqtt().toSettings();
        assertEquals(new MqttSettings("ssl://mqtt.example.com:8883", "gw-1", Duration.ofHours(2), Duration.ofSeconds(45),
                Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofMinutes(5), fx.file("tls/ca.pem"),
                fx.file("tls/vehicle.pem"), fx.file("tls/vehicle.key"), "fleet", "s3cret-pa55"), settings);
        assertEquals(new TelemetryConfig(fx.file("policy.yaml"), Duration.ofMillis(500), 64L << 20, 250, TelemetryConfig.DEFAULT_UPLOAD_BATCH_BYTES, Duration.ofSeconds(2), 16L << 10),
                c.telemetry());
        assertEquals(fx.file("rules.yaml"), c.rules());
        assertEquals(new CommandsConfig(fx.file("trust.yaml"), Duration.ofSeconds(10), 8192,
                fx.file("commands-can.yaml")), c.commands());
        OtaConfig ota = c.ota();
        assertEquals(fx.file("slot-a.img"), ota.slotA());
        assertEquals(new BootControl.UBoot(fx.file("fw_env.config")), ota.bootControl());
        assertEquals(List.of("/bin/sh", "-c", "true"), ota.rebootCommand());
        assertEquals(Duration.ofMinutes(2), ota.healthDeadline());
        assertEquals(List.of(List.of("/bin/sh", "-c", "exit 0")), ota.healthCommands());
        assertNull(ota.trust(), "falls back to commands.trust");
        assertEquals(Duration.ofMinutes(1), c.status().publishPeriod());
        assertEquals(LogLevel.DEBUG, c.logging().level());
        assertTrue(c.describe().contains("buses[0].id_filter = [0x100, 0x200-0x2FF, 0x400]"), c.describe().toString());
    }

    @Test void otaDefaultsAndOtherBackends() throws Exception {
        String common = ConfigFixture.MINIMAL + """
                ota:
                  slot_a: slot-a.img
                  slot_b: slot-b.img
                  trust: trust.yaml
                """;
        VgateConfig grub = fx.load(common + "  boot_control: {backend: grub, grubenv: grubenv}\n");
        assertEquals(new BootControl.Grub(fx.file("grubenv")), grub.ota().bootControl());
        assertEquals(OtaConfig.DEFAULT_REBOOT_COMMAND, grub.ota().rebootCommand());
        assertEquals(OtaConfig.DEFAULT_HEALTH_DEADLINE, grub.ota().healthDeadline());
        VgateConfig file = fx.load(common + "  boot_control: {backend: file, state_file: state/boot.state}\n");
        assertEquals(new BootControl.File(fx.file("state/boot.state")), file.ota().bootControl());
    }

    @Test void effectiveConfigMasksSecretsAndUsesFileNames() throws Exception {
        VgateConfig c = fx.load(ConfigFixture.VEHICLE + ConfigFixture.BUSES + """
                mqtt:
                  url: ssl://mqtt.example.com:8883
                  username: fleet
                  password: s3cret-pa55
                ota:
                  slot_a: slot-a.img
                  slot_b: slot-b.img
                  trust: trust.yaml
                  boot_control: {backend: grub, grubenv: grubenv}
                """);
        List<String> lines = c.describe();
        String all = String.join("\n", lines);
        assertFalse(all.contains("s3cret"), all);
        assertTrue(lines.contains("mqtt.password = ******"), all);
        assertTrue(lines.contains("vehicle_id = KMHK381GFMU123456"), all);
        assertTrue(lines.contains("buses[0].interface = can0"), all);
        assertTrue(lines.contains("buses[0].kind = socketcan"), all);
        assertTrue(lines.contains("mqtt.keepalive = 30s"), all);
        assertTrue(lines.contains("mqtt.session_expiry = 1h"), all);
        assertTrue(lines.contains("telemetry.group_commit = 1s"), all);
        assertTrue(lines.contains("ota.boot_control.backend = grub"), all);
        assertTrue(lines.contains("ota.boot_control.grubenv = " + fx.file("grubenv")), all);
        assertTrue(lines.contains("commands = (none)"), all);
        assertTrue(lines.contains("logging.level = info"), all);
        assertTrue(lines.contains("buses[0].id_filter = []"), all);
        assertFalse(c.toString().contains("s3cret"), "record toString masks too");
    }

    @Test void relativePathsResolveAgainstTheConfigFolderNotTheWorkingDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc/vgate"));
        Files.createDirectories(sub.resolve("dbc"));
        Files.writeString(sub.resolve("dbc/ev.dbc"), "x");
        Path f = sub.resolve("vgate.yaml");
        Files.writeString(f, ConfigFixture.MINIMAL + "state_dir: ../../state\n");
        VgateConfig c = ConfigLoader.load(f);
        assertEquals(sub.resolve("dbc/ev.dbc"), c.buses().get(0).dbc().get(0));
        assertEquals(dir.resolve("state"), c.stateDir());
    }

    @Test void typeErrorsNameTheFieldAndLine() {
        List<String> p = fx.problems(ConfigFixture.VEHICLE + ConfigFixture.BUSES + """
                mqtt:
                  url: ssl://mqtt.example.com:8883
                  keepalive: 30
                  session_expiry: [1, 2]
                telemetry:
                  disk_quota: 12 parsecs
                  upload_batch_size: many
                logging:
                  level: loud
                """);
        assertEquals(List.of(
                "mqtt.keepalive: expected " + ConfigValues.DURATION_FORMS + ", got '30' (line 8)",
                "mqtt.session_expiry: expected a single value, not a list or section (line 9)",
                "telemetry.disk_quota: expected " + ConfigValues.SIZE_FORMS + ", got '12 parsecs' (line 11)",
                "telemetry.upload_batch_size: expected a whole number (line 12)",
                "logging.level: expected one of trace, debug, info, warn, error, got 'loud' (line 14)"), p);
    }

    @Test void unknownFieldsAreRejectedWithASpellingHint() {
        List<String> p = fx.problems(ConfigFixture.VEHICLE + """
                buses:
                  - name: powertrain
                    interface: can0
                    dbcs: dbc/ev.dbc
                mqtt:
                  url: ssl://mqtt.example.com:8883
                  kepalive: 30s
                telemetery: {}
                colour: blue
                """);
        assertEquals(List.of(
                "buses[0].dbcs: unknown field (did you mean dbc?) (line 5)",
                "mqtt.kepalive: unknown field (did you mean keepalive?) (line 8)",
                "telemetery: unknown field (did you mean telemetry?) (line 9)",
                "colour: unknown field (line 10)"), p);
    }

    @Test void duplicateKeysAreRejected() {
        List<String> p = fx.problems(ConfigFixture.MINIMAL + "vehicle_id: OTHER\n");
        assertEquals(List.of("vehicle_id: set twice (line 8)"), p);
    }

    @Test void wrongShapesAreRejected() {
        assertEquals(List.of("buses: expected a list (line 2)"),
                fx.problems(ConfigFixture.VEHICLE + "buses: can0\n" + ConfigFixture.MQTT));
        assertEquals(List.of("mqtt: expected a section of fields (line 2)"),
                fx.problems(ConfigFixture.VEHICLE + "mqtt: ssl://x:8883\n" + ConfigFixture.BUSES));
        assertEquals(List.of("buses[0]: expected a section of fields (line 3)"),
                fx.problems(ConfigFixture.VEHICLE + "buses:\n  - can0\n" + ConfigFixture.MQTT));
        assertEquals(List.of("buses[0].loop: expected true or false (line 5)"),
                fx.problems(ConfigFixture.VEHICLE + "buses:\n  - name: a\n    kind: replay\n    loop: yes\n"
                        + "    log: drive.log\n    dbc: dbc/ev.dbc\n" + ConfigFixture.MQTT));
    }

    @Test void idFilterSyntax() {
        List<String> p = fx.problems(ConfigFixture.VEHICLE + ConfigFixture.MQTT + """
                buses:
                  - name: powertrain
                    interface: can0
                    dbc: dbc/ev.dbc
                    id_filter: [0x100, "0x200..0x2FF", "abc"]
                """);
        assertEquals(List.of(
                "buses[0].id_filter[1]: expected a CAN id such as 0x123 or a range such as 0x100-0x1FF,"
                        + " got '0x200..0x2FF' (line 8)",
                "buses[0].id_filter[2]: expected a CAN id such as 0x123 or a range such as 0x100-0x1FF,"
                        + " got 'abc' (line 8)"), p);
    }

    @Test void vehicleIdSources() throws IOException {
        assertEquals(List.of("vehicle_id_file: vehicle_id is set too: keep one of them (line 1)"),
                fx.problems("vehicle_id_file: vehicle-id\n" + ConfigFixture.MINIMAL));
        assertEquals(List.of("vehicle_id_file: file not found: " + fx.file("missing-id") + " (line 1)"),
                fx.problems("vehicle_id_file: missing-id\n" + ConfigFixture.BUSES + ConfigFixture.MQTT));
        Files.writeString(fx.file("empty-id"), "  \n");
        assertEquals(List.of("vehicle_id_file: file is empty: " + fx.file("empty-id") + " (line 1)"),
                fx.problems("vehicle_id_file: empty-id\n" + ConfigFixture.BUSES + ConfigFixture.MQTT));
    }

    @Test void bootControlSettingsBelongToTheirBackend() {
        String common = ConfigFixture.MINIMAL + "ota:\n  slot_a: slot-a.img\n  slot_b: slot-b.img\n"
                + "  trust: trust.yaml\n";
        assertEquals(List.of("ota.boot_control.grubenv: only used by backend grub, but backend is uboot (line 12)"),
                fx.problems(common + "  boot_control: {backend: uboot, grubenv: grubenv}\n"));
        assertEquals(List.of("ota.boot_control.backend: expected uboot, grub or file, got 'lilo' (line 12)"),
                fx.problems(common + "  boot_control: {backend: lilo}\n"));
        assertEquals(List.of("ota.boot_control.backend: required: uboot, grub or file"),
                fx.problems(common + "  boot_control: {fw_env_config: fw_env.config}\n"));
    }

    @Test void yamlSyntaxErrorsGiveLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> fx.load("vehicle_id: X\nbuses: [\n  name: a\nmqtt: {\n"));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("YAML syntax error at line "), e.getMessage());
        assertEquals(fx.file("vgate.yaml"), e.file());
    }

    @Test void fileLevelErrors() throws IOException {
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertEquals("invalid configuration " + dir.resolve("nope.yaml") + ": file not found", missing.getMessage());
        assertEquals(List.of("the file is empty"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(fx.write("# nothing here\n"))).problems());
        assertEquals(List.of("the file must be a mapping of field names to values (line 1)"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(fx.write("- a\n- b\n"))).problems());
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'v', ':', ' ', (byte) 0xE9, '\n'});
        assertEquals(List.of("not UTF-8 text"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(latin1)).problems());
    }

    @Test void multipleProblemsAreAllReportedInOneMessage() {
        ConfigException e = assertThrows(ConfigException.class, () -> fx.load("buses: []\nstate_dir: state\n"));
        assertEquals("invalid configuration " + fx.file("vgate.yaml") + " (3 problems):\n"
                + "  vehicle_id: required (or vehicle_id_file)\n"
                + "  buses: at least one bus is required\n"
                + "  mqtt: required: the broker telemetry is uploaded to", e.getMessage());
    }
}
