package dev.vgate.agent.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each rule of {@link ConfigValidator}, with the exact message a user sees. */
class ConfigValidationTest {
    @TempDir Path dir;
    ConfigFixture fx;

    @BeforeEach void setUp() throws IOException {
        fx = new ConfigFixture(dir);
    }

    private List<String> busProblems(String busFields) {
        return fx.problems(ConfigFixture.VEHICLE + ConfigFixture.MQTT + "buses:\n" + busFields);
    }

    private List<String> mqttProblems(String mqttFields) {
        return fx.problems(ConfigFixture.VEHICLE + ConfigFixture.BUSES + "mqtt:\n" + mqttFields);
    }

    private List<String> problems(String extra) {
        return fx.problems(ConfigFixture.MINIMAL + extra);
    }

    @Test void vehicleIdMustBeTopicSafe() {
        assertEquals(List.of("vehicle_id: 'car/1' may contain only letters, digits, '.', '_' and '-' and at most"
                        + " 64 characters (it becomes part of MQTT topics)"),
                fx.problems("vehicle_id: car/1\n" + ConfigFixture.BUSES + ConfigFixture.MQTT));
    }

    @Test void stateDirMustBeAFolder() {
        assertEquals(List.of("state_dir: not a directory: " + fx.file("rules.yaml")),
                problems("state_dir: rules.yaml\n"));
    }

    @Test void busNamesAndInterfaces() {
        assertEquals(List.of(
                "buses[0].name: 'Power Train' may contain only a-z, 0-9, '_' and '-' (at most 32 characters)",
                "buses[1].name: required",
                "buses[1].interface: required for kind socketcan",
                "buses[2].interface: 'can0:1' is not a network interface name (1 to 15 characters, no '/', ':' or spaces)",
                "buses[3].interface: 'averyveryverylongname' is not a network interface name (1 to 15 characters,"
                        + " no '/', ':' or spaces)",
                "buses[4].name: 'pt' is already used by buses[3]",
                "buses[4].interface: can0 is already used by buses[0]",
                "buses[5].interface: required for kind virtual"), busProblems("""
                  - {name: Power Train, interface: can0, dbc: dbc/ev.dbc}
                  - {dbc: dbc/ev.dbc}
                  - {name: a, interface: "can0:1", dbc: dbc/ev.dbc}
                  - {name: pt, interface: averyveryverylongname, dbc: dbc/ev.dbc}
                  - {name: pt, interface: can0, dbc: dbc/ev.dbc}
                  - {name: v, kind: virtual, dbc: dbc/ev.dbc}
                """));
    }

    @Test void sameInterfaceNameOnDifferentKindsIsFine() throws Exception {
        fx.load(ConfigFixture.VEHICLE + ConfigFixture.MQTT + """
                buses:
                  - {name: real, interface: can0, dbc: dbc/ev.dbc}
                  - {name: sim, kind: virtual, interface: can0, dbc: dbc/ev.dbc}
                """);
    }

    @Test void replaySettingsOnlyWithReplay() {
        assertEquals(List.of(
                "buses[0].log: only used by kind replay, but this bus is socketcan",
                "buses[0].loop: only used by kind replay, but this bus is socketcan",
                "buses[1].log: required for kind replay: the candump -L log to play",
                "buses[2].log: file not found: " + fx.file("missing.log")), busProblems("""
                  - {name: a, interface: can0, log: drive.log, loop: true, dbc: dbc/ev.dbc}
                  - {name: b, kind: replay, dbc: dbc/ev.dbc}
                  - {name: c, kind: replay, log: missing.log, dbc: dbc/ev.dbc}
                """));
    }

    @Test void dbcFilesMustExist() {
        assertEquals(List.of(
                "buses[0].dbc: at least one DBC file is required",
                "buses[1].dbc: file not found: " + fx.file("dbc/missing.dbc"),
                "buses[2].dbc: is a directory, not a file: " + fx.file("dbc")), busProblems("""
                  - {name: a, interface: can0}
                  - {name: b, interface: can1, dbc: [dbc/ev.dbc, dbc/missing.dbc]}
                  - {name: c, interface: can2, dbc: dbc}
                """));
    }

    @Test void idFilterRanges() {
        assertEquals(List.of(
                "buses[0].id_filter: range 0x2FF-0x200 is reversed",
                "buses[0].id_filter: 0x20000000 is beyond the largest CAN id 0x1FFFFFFF"), busProblems("""
                  - {name: a, interface: can0, dbc: dbc/ev.dbc, id_filter: ["0x2FF-0x200", 0x20000000]}
                """));
    }

    @Test void brokerUrl() {
        assertEquals(List.of("mqtt: required: the broker telemetry is uploaded to"),
                fx.problems(ConfigFixture.VEHICLE + ConfigFixture.BUSES));
        assertEquals(List.of("mqtt.url: required, e.g. ssl://mqtt.example.com:8883"), mqttProblems("  keepalive: 30s\n"));
        assertEquals(List.of("mqtt.url: scheme must be ssl://, tcp://, wss:// or ws://, got mqtts://broker:8883"),
                mqttProblems("  url: mqtts://broker:8883\n"));
        assertEquals(List.of("mqtt.url: no host in ssl:///x"), mqttProblems("  url: ssl:///x\n"));
        assertEquals(List.of("mqtt.url: not a URL: Illegal character in authority at index 6: ssl://bro ker:8883"),
                mqttProblems("  url: ssl://bro ker:8883\n"));
    }

    @Test void tlsFiles() {
        assertEquals(List.of("mqtt.tls: TLS files are set but mqtt.url tcp://broker:1883 is not encrypted:"
                        + " use ssl:// or wss://"),
                mqttProblems("  url: tcp://broker:1883\n  tls: {ca: tls/ca.pem}\n"));
        assertEquals(List.of("mqtt.tls.key: required when mqtt.tls.cert is set"),
                mqttProblems("  url: ssl://broker:8883\n  tls: {cert: tls/vehicle.pem}\n"));
        assertEquals(List.of("mqtt.tls.cert: required when mqtt.tls.key is set"),
                mqttProblems("  url: ssl://broker:8883\n  tls: {key: tls/vehicle.key}\n"));
        assertEquals(List.of("mqtt.tls.ca: file not found: " + fx.file("tls/other-ca.pem")),
                mqttProblems("  url: wss://broker:443\n  tls: {ca: tls/other-ca.pem}\n"));
    }

    @Test void credentials() throws Exception {
        assertEquals(List.of("mqtt.password: set without mqtt.username"),
                mqttProblems("  url: ssl://broker:8883\n  password: pw\n"));
        assertEquals(List.of("mqtt.password: would be sent in clear text to broker.example.com: use ssl:// or wss://"),
                mqttProblems("  url: tcp://broker.example.com:1883\n  username: u\n  password: pw\n"));
        // a broker on the gateway itself (a local bridge) may use plain TCP
        fx.load(ConfigFixture.VEHICLE + ConfigFixture.BUSES
                + "mqtt:\n  url: tcp://localhost:1883\n  username: u\n  password: pw\n");
    }

    @Test void topicPrefix() {
        String base = "  url: ssl://broker:8883\n  topic_prefix: ";
        assertEquals(List.of("mqtt.topic_prefix: 'fleet/+/x' contains an MQTT wildcard"), mqttProblems(base + "fleet/+/x\n"));
        assertEquals(List.of("mqtt.topic_prefix: 'fleet/' has an empty topic level (leading, trailing or double '/')"),
                mqttProblems(base + "fleet/\n"));
        assertEquals(List.of("mqtt.topic_prefix: 'a//b' has an empty topic level (leading, trailing or double '/')"),
                mqttProblems(base + "a//b\n"));
        assertEquals(List.of("mqtt.topic_prefix: '$SYS/x' starts with '$', which brokers reserve"),
                mqttProblems(base + "$SYS/x\n"));
        assertEquals(List.of("mqtt.topic_prefix: required"), mqttProblems(base + "''\n"));
        assertEquals(List.of("mqtt.client_id: required"), mqttProblems("  url: ssl://broker:8883\n  client_id: ''\n"));
    }

    @Test void mqttTimers() {
        assertEquals(List.of("mqtt.keepalive: must be whole seconds, got 1500ms"),
                mqttProblems("  url: ssl://broker:8883\n  keepalive: 1500ms\n"));
        assertEquals(List.of("mqtt.keepalive: must be between 5s and 65535s, got 0s"),
                mqttProblems("  url: ssl://broker:8883\n  keepalive: 0s\n"));
        assertEquals(List.of("mqtt.session_expiry: must be between 0s and 4294967295s, got 49711d"),
                mqttProblems("  url: ssl://broker:8883\n  session_expiry: 49711d\n"));
    }

    @Test void reconnectDelays() {
        assertEquals(List.of("mqtt.reconnect_max: must not be shorter than mqtt.reconnect_min (2s), got 1s"),
                mqttProblems("  url: ssl://broker:8883\n  reconnect_min: 2s\n  reconnect_max: 1s\n"));
        assertEquals(List.of("mqtt.connect_timeout: must be between 1s and 5min, got 10min",
                        "mqtt.reconnect_max: must be between 1ms and 1h, got 2h"),
                mqttProblems("  url: ssl://broker:8883\n  connect_timeout: 10min\n  reconnect_max: 2h\n"));
    }

    @Test void telemetryLimits() {
        assertEquals(List.of(
                "telemetry.policy: file not found: " + fx.file("nope.yaml"),
                "telemetry.group_commit: must be between 1ms and 1min, got 0s",
                "telemetry.disk_quota: must be at least 1MiB, got 65536 bytes",
                "telemetry.upload_batch_size: must be between 1 and 10000000, got 0",
                "telemetry.upload_interval: must be between 100ms and 1h, got 10ms",
                "telemetry.upload_drain_rate: must be 0 (no limit) or at least 1KiB per second, got 100 bytes"), problems("""
                telemetry:
                  policy: nope.yaml
                  group_commit: 0ms
                  disk_quota: 64KiB
                  upload_batch_size: 0
                  upload_interval: 10ms
                  upload_drain_rate: 100
                """));
    }

    @Test void rulesFileMustExist() {
        assertEquals(List.of("rules: file not found: " + fx.file("missing-rules.yaml")),
                problems("rules: missing-rules.yaml\n"));
    }

    @Test void commands() {
        assertEquals(List.of(
                "commands.trust: required: the public keys allowed to sign commands",
                "commands.clock_skew: must be between 0s and 10min, got 1h",
                "commands.max_payload: must be between 256 and 1048576, got 100",
                "commands.can_mapping: file not found: " + fx.file("nope.yaml")),
                problems("commands: {clock_skew: 1h, max_payload: 100, can_mapping: nope.yaml}\n"));
        assertEquals(List.of("commands.trust: file not found: " + fx.file("keys.yaml")),
                problems("commands: {trust: keys.yaml}\n"));
    }

    @Test void canCommandsNeedATransmittingBus() {
        assertEquals(List.of("commands.can_mapping: CAN commands need a bus vgate can transmit on,"
                        + " but every bus is kind replay"),
                fx.problems(ConfigFixture.VEHICLE + ConfigFixture.MQTT + """
                        buses:
                          - {name: rec, kind: replay, log: drive.log, dbc: dbc/ev.dbc}
                        commands: {trust: trust.yaml, can_mapping: commands-can.yaml}
                        """));
    }

    @Test void otaSlots() throws IOException {
        String boot = "  boot_control: {backend: file, state_file: state/boot}\n  trust: trust.yaml\n";
        assertEquals(List.of("ota.slot_a: required", "ota.slot_b: not found: " + fx.file("nope.img")),
                problems("ota:\n  slot_b: nope.img\n" + boot));
        assertEquals(List.of("ota.slot_a: is a directory, not a device or image file: " + fx.file("state")),
                problems("ota:\n  slot_a: state\n  slot_b: slot-b.img\n" + boot));
        // a symlink (like /dev/disk/by-partlabel/...) to the other slot is the same device
        Files.createSymbolicLink(fx.file("by-label-b"), fx.file("slot-a.img"));
        assertEquals(List.of("ota.slot_b: is the same device as ota.slot_a (" + fx.file("slot-a.img") + ")"),
                problems("ota:\n  slot_a: slot-a.img\n  slot_b: by-label-b\n" + boot));
    }

    @Test void otaBootControl() {
        String slots = "ota:\n  slot_a: slot-a.img\n  slot_b: slot-b.img\n  trust: trust.yaml\n";
        assertEquals(List.of("ota.boot_control.backend: required: uboot, grub or file"), problems(slots));
        assertEquals(List.of("ota.boot_control.fw_env_config: file not found: " + fx.file("no-fw_env.config")),
                problems(slots + "  boot_control: {backend: uboot, fw_env_config: no-fw_env.config}\n"));
        assertEquals(List.of("ota.boot_control.grubenv: required for backend grub"),
                problems(slots + "  boot_control: {backend: grub}\n"));
        assertEquals(List.of("ota.boot_control.state_file: required for backend file"),
                problems(slots + "  boot_control: {backend: file}\n"));
        assertEquals(List.of("ota.boot_control.state_file: folder not found: " + fx.file("nowhere")),
                problems(slots + "  boot_control: {backend: file, state_file: nowhere/boot}\n"));
    }

    @Test void otaNeedsATrustFile() throws Exception {
        String ota = "ota:\n  slot_a: slot-a.img\n  slot_b: slot-b.img\n"
                + "  boot_control: {backend: file, state_file: state/boot}\n";
        assertEquals(List.of("ota.trust: required when commands are disabled: update manifests are verified against it"),
                problems(ota));
        assertEquals(List.of("ota.trust: file not found: " + fx.file("ota-keys.yaml")),
                problems(ota + "  trust: ota-keys.yaml\n"));
        fx.load(ConfigFixture.MINIMAL + ota + "commands: {trust: trust.yaml}\n");
    }

    @Test void otaCommandsMustBeRunnable() throws IOException {
        Path notExec = fx.file("check.sh");
        Files.writeString(notExec, "#!/bin/sh\n");
        Files.setPosixFilePermissions(notExec, PosixFilePermissions.fromString("rw-r--r--"));
        String ota = "ota:\n  slot_a: slot-a.img\n  slot_b: slot-b.img\n  trust: trust.yaml\n"
                + "  boot_control: {backend: file, state_file: state/boot}\n";
        assertEquals(List.of(
                "ota.reboot_command: the program must be an absolute path, got 'systemctl'",
                "ota.health_deadline: must be between 10s and 1h, got 5s",
                "ota.health_commands[0]: program not found: /no/such/check",
                "ota.health_commands[1]: not executable: " + notExec),
                problems(ota + "  reboot_command: [systemctl, reboot]\n  health_deadline: 5s\n"
                        + "  health_commands:\n    - [/no/such/check]\n    - [" + notExec + "]\n"));
        assertEquals(List.of("ota.reboot_command: required: the command that reboots the gateway"),
                problems(ota + "  reboot_command: []\n"));
    }

    @Test void statusPeriod() {
        assertEquals(List.of("status.publish_period: must be between 1s and 1h, got 500ms"),
                problems("status: {publish_period: 500ms}\n"));
    }

    @Test void configBuiltInCodeIsValidatedTheSameWay() throws Exception {
        BusConfig bus = new BusConfig("sim", BusKind.VIRTUAL, "vbus", null, false, 1.0, List.of(fx.file("dbc/ev.dbc")),
                List.of());
        MqttConfig mqtt = MqttConfig.of("tcp://localhost:1883", "demo", "vgate/demo");
        VgateConfig ok = new VgateConfig(null, "demo", fx.file("state"), List.of(bus), mqtt, null, null, null, null,
                null, null);
        assertSame(ok, ok.validate());
        VgateConfig bad = new VgateConfig(null, "demo", Path.of("relative"), List.of(bus), mqtt, null, null, null,
                null, null, new LoggingConfig(null));
        ConfigException e = assertThrows(ConfigException.class, bad::validate);
        assertEquals("invalid configuration (2 problems):\n  state_dir: must be an absolute path, got relative\n"
                + "  logging.level: required", e.getMessage());
    }
}
