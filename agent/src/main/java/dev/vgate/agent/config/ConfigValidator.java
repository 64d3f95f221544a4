package dev.vgate.agent.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every rule a configuration must satisfy, in one place. Impossible or unsafe combinations are rejected
 * with the field path and the reason; nothing is silently adjusted.
 */
final class ConfigValidator {
    private static final Pattern VEHICLE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern BUS_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Set<String> MQTT_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final long MAX_SESSION_EXPIRY_S = 0xFFFF_FFFFL;

    /** MQTT allows 65535 bytes; brokers commonly take far less, and ids this long are a mistake. */
    static final int MAX_CLIENT_ID = 128;
    static final int MAX_TOPIC_PREFIX = 200;

    private final VgateConfig c;
    private final List<String> problems = new ArrayList<>();

    ConfigValidator(VgateConfig config) {
        this.c = config;
    }

    List<String> problems() {
        vehicle();
        buses();
        mqtt();
        telemetry();
        optionalFile("rules", c.rules());
        range("rules_memory", c.rulesMemory(), 64L << 10, 64L << 20);
        commands();
        ota();
        status();
        if (c.diag() != null) c.diag().validate(c, problems);
        if (c.logging().level() == null) add("logging.level", "required");
        return problems;
    }

    private void vehicle() {
        if (c.vehicleId() == null) add("vehicle_id", "required (or vehicle_id_file)");
        else if (!VEHICLE_ID.matcher(c.vehicleId()).matches()) {
            add("vehicle_id", "'" + c.vehicleId() + "' may contain only letters, digits, '.', '_' and '-'"
                    + " and at most 64 characters (it becomes part of MQTT topics)");
        }
        if (c.stateDir() == null) add("state_dir", "required");
        else if (!c.stateDir().isAbsolute()) add("state_dir", "must be an absolute path, got " + c.stateDir());
        else if (Files.exists(c.stateDir()) && !Files.isDirectory(c.stateDir())) {
            add("state_dir", "not a directory: " + c.stateDir());
        }
    }

    private void buses() {
        if (c.buses().isEmpty()) {
            add("buses", "at least one bus is required");
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> interfaces = new HashMap<>();
        for (int i = 0; i < c.buses().size(); i++) {
            BusConfig b = c.buses().get(i);
            String p = "buses[" + i + "]";
            if (b.name() == null) add(p + ".name", "required");
            else if (!BUS_NAME.matcher(b.name()).matches()) {
                add(p + ".name", "'" + b.name() + "' may contain only a-z, 0-9, '_' and '-' (at most 32 characters)");
            } else {
                Integer first = names.putIfAbsent(b.name(), i);
                if (first != null) add(p + ".name", "'" + b.name() + "' is already used by buses[" + first + "]");
            }
            if (b.kind() == null) {
                add(p + ".kind", "required: socketcan, virtual or replay");
                continue;
            }
            busSource(p, b, interfaces, i);
            if (b.dbc().isEmpty()) add(p + ".dbc", "at least one DBC file is required");
            for (Path dbc : b.dbc()) requiredFile(p + ".dbc", dbc);
            for (IdRange r : b.idFilter()) {
                if (r.from() < 0 || r.to() < 0) add(p + ".id_filter", "negative CAN id in " + r);
                else if (r.from() > r.to()) add(p + ".id_filter", "range " + r + " is reversed");
                else if (r.to() > IdRange.MAX_ID) {
                    add(p + ".id_filter", r + " is beyond the largest CAN id " + IdRange.single(IdRange.MAX_ID));
                }
            }
        }
    }

    private void busSource(String p, BusConfig b, Map<String, Integer> interfaces, int index) {
        String kind = b.kind().name().toLowerCase(java.util.Locale.ROOT);
        if (b.kind() == BusKind.REPLAY) {
            if (b.log() == null) add(p + ".log", "required for kind replay: the candump -L log to play");
            else requiredFile(p + ".log", b.log());
            if (!(b.speed() >= 0.01 && b.speed() <= 1000)) add(p + ".speed", "must be between 0.01 and 1000, got " + b.speed());
            return;
        }
        if (b.speed() != 1.0) add(p + ".speed", "only used by kind replay, but this bus is " + kind);
        if (b.log() != null) add(p + ".log", "only used by kind replay, but this bus is " + kind);
        if (b.loop()) add(p + ".loop", "only used by kind replay, but this bus is " + kind);
        if (b.iface() == null) {
            add(p + ".interface", "required for kind " + kind);
        } else if (b.kind() == BusKind.SOCKETCAN && !validInterfaceName(b.iface())) {
            add(p + ".interface", "'" + b.iface() + "' is not a network interface name"
                    + " (1 to 15 characters, no '/', ':' or spaces)");
        } else {
            Integer first = interfaces.putIfAbsent(kind + ":" + b.iface(), index);
            if (first != null) add(p + ".interface", b.iface() + " is already used by buses[" + first + "]");
        }
    }

    /** The kernel's rule (dev_valid_name): what {@code ip link} would accept. */
    private static boolean validInterfaceName(String name) {
        if (name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")) return false;
        for (char ch : name.toCharArray()) if (ch == '/' || ch == ':' || Character.isWhitespace(ch)) return false;
        return true;
    }

    private void mqtt() {
        MqttConfig m = c.mqtt();
        if (m == null) {
            add("mqtt", "required: the broker telemetry is uploaded to");
            return;
        }
        String host = null;
        if (m.url() == null) add("mqtt.url", "required, e.g. ssl://mqtt.example.com:8883");
        else host = brokerHost(m.url());
        TlsConfig tls = m.tls();
        if (m.url() != null && !m.isTls() && !tls.isEmpty()) {
            add("mqtt.tls", "TLS files are set but mqtt.url " + m.url() + " is not encrypted: use ssl:// or wss://");
        }
        if (tls.cert() != null && tls.key() == null) add("mqtt.tls.key", "required when mqtt.tls.cert is set");
        if (tls.key() != null && tls.cert() == null) add("mqtt.tls.cert", "required when mqtt.tls.key is set");
        optionalFile("mqtt.tls.ca", tls.ca());
        optionalFile("mqtt.tls.cert", tls.cert());
        optionalFile("mqtt.tls.key", tls.key());
        if (m.password() != null && m.username() == null) add("mqtt.password", "set without mqtt.username");
        if (m.password() != null && m.url() != null && !m.isTls() && host != null && !LOOPBACK.contains(host)) {
            add("mqtt.password", "would be sent in clear text to " + host + ": use ssl:// or wss://");
        }
        if (c.vehicleId() != null) { // client_id and topic_prefix default from the vehicle id
            if (m.clientId() == null || m.clientId().isEmpty()) add("mqtt.client_id", "required");
            else if (m.clientId().length() > MAX_CLIENT_ID || hasControl(m.clientId())) {
                add("mqtt.client_id", "at most " + MAX_CLIENT_ID + " characters and no control characters, got "
                        + m.clientId().length() + " characters: '" + dev.vgate.input.Untrusted.escape(m.clientId(), 40) + "'");
            }
            topicPrefix(m.topicPrefix());
        }
        wholeSeconds("mqtt.keepalive", m.keepalive(), Duration.ofSeconds(5), Duration.ofSeconds(65_535));
        wholeSeconds("mqtt.session_expiry", m.sessionExpiry(), Duration.ZERO, Duration.ofSeconds(MAX_SESSION_EXPIRY_S));
        between("mqtt.connect_timeout", m.connectTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        between("mqtt.reconnect_min", m.reconnectMin(), Duration.ZERO, Duration.ofHours(1));
        between("mqtt.reconnect_max", m.reconnectMax(), Duration.ofMillis(1), Duration.ofHours(1));
        if (m.reconnectMin() != null && m.reconnectMax() != null && m.reconnectMax().compareTo(m.reconnectMin()) < 0) {
            add("mqtt.reconnect_max", "must not be shorter than mqtt.reconnect_min ("
                    + ConfigValues.formatDuration(m.reconnectMin()) + "), got "
                    + ConfigValues.formatDuration(m.reconnectMax()));
        }
    }

    /** Checks the broker URL and returns its host (null when the URL is unusable). */
    private String brokerHost(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            add("mqtt.url", "not a URL: " + e.getMessage());
            return null;
        }
        if (uri.getScheme() == null || !MQTT_SCHEMES.contains(uri.getScheme())) {
            add("mqtt.url", "scheme must be ssl://, tcp://, wss:// or ws://, got " + url);
            return null;
        }
        if (uri.getHost() == null) {
            add("mqtt.url", "no host in " + url);
            return null;
        }
        if (uri.getPort() > 65_535) {
            add("mqtt.url", "port " + uri.getPort() + " is beyond 65535 in " + url);
            return null;
        }
        return uri.getHost();
    }

    private void topicPrefix(String prefix) {
        String f = "mqtt.topic_prefix";
        if (prefix == null || prefix.isEmpty()) add(f, "required");
        else if (prefix.length() > MAX_TOPIC_PREFIX || hasControl(prefix)) {
            add(f, "at most " + MAX_TOPIC_PREFIX + " characters and no control characters (NUL is forbidden in MQTT topics), got '"
                    + dev.vgate.input.Untrusted.escape(prefix, 40) + "'");
        }
        else if (prefix.contains("+") || prefix.contains("#")) add(f, "'" + prefix + "' contains an MQTT wildcard");
        else if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            add(f, "'" + prefix + "' has an empty topic level (leading, trailing or double '/')");
        } else if (prefix.startsWith("$")) add(f, "'" + prefix + "' starts with '$', which brokers reserve");
    }

    private void telemetry() {
        TelemetryConfig t = c.telemetry();
        optionalFile("telemetry.policy", t.policy());
        between("telemetry.group_commit", t.groupCommit(), Duration.ofMillis(1), Duration.ofMinutes(1));
        if (t.diskQuota() < (1L << 20)) {
            add("telemetry.disk_quota", "must be at least 1MiB, got " + t.diskQuota() + " bytes");
        }
        range("telemetry.upload_batch_size", t.uploadBatchSize(), 1, 10_000_000);
        if (t.uploadBatchBytes() < (64L << 10) || t.uploadBatchBytes() > (64L << 20)) {
            add("telemetry.upload_batch_bytes", "must be between 64KiB and 64MiB, got " + t.uploadBatchBytes() + " bytes");
        }
        between("telemetry.upload_interval", t.uploadInterval(), Duration.ofMillis(100), Duration.ofHours(1));
        if (t.uploadDrainRate() != 0 && t.uploadDrainRate() < 1024) {
            add("telemetry.upload_drain_rate", "must be 0 (no limit) or at least 1KiB per second, got " + t.uploadDrainRate() + " bytes");
        }
    }

    private void commands() {
        CommandsConfig k = c.commands();
        if (k == null) return;
        if (k.trust() == null) add("commands.trust", "required: the public keys allowed to sign commands");
        else requiredFile("commands.trust", k.trust());
        between("commands.clock_skew", k.clockSkew(), Duration.ZERO, Duration.ofMinutes(10));
        range("commands.max_payload", k.maxPayload(), 256, 1 << 20);
        optionalFile("commands.can_mapping", k.canMapping());
        if (k.canMapping() != null && !c.buses().isEmpty()
                && c.buses().stream().noneMatch(b -> b.kind() != null && b.kind().canTransmit())) {
            add("commands.can_mapping", "CAN commands need a bus vgate can transmit on, but every bus is kind replay");
        }
    }

    private void ota() {
        OtaConfig o = c.ota();
        if (o == null) return;
        slot("ota.slot_a", o.slotA());
        slot("ota.slot_b", o.slotB());
        if (o.slotA() != null && o.slotB() != null && sameFile(o.slotA(), o.slotB())) {
            add("ota.slot_b", "is the same device as ota.slot_a (" + o.slotA() + ")");
        }
        bootControl(o.bootControl());
        if (o.trust() != null) {
            requiredFile("ota.trust", o.trust());
            if (c.commands() != null && c.commands().trust() != null && !sameFile(o.trust(), c.commands().trust())) {
                add("ota.trust", "names another file than commands.trust; one trust file holds the keys of every role"
                        + " (roles: [ota] for release keys): leave ota.trust out");
            }
        } else if (c.commands() == null || c.commands().trust() == null) {
            add("ota.trust", "required when commands are disabled: update manifests are verified against it");
        }
        if (o.rebootCommand().isEmpty()) add("ota.reboot_command", "required: the command that reboots the gateway");
        else program("ota.reboot_command", o.rebootCommand());
        between("ota.health_deadline", o.healthDeadline(), Duration.ofSeconds(10), Duration.ofHours(1));
        for (int i = 0; i < o.healthCommands().size(); i++) {
            List<String> argv = o.healthCommands().get(i);
            if (argv.isEmpty()) add("ota.health_commands[" + i + "]", "empty command");
            else program("ota.health_commands[" + i + "]", argv);
        }
        if (o.bootedSlot() != null && !o.bootedSlot().equals("A") && !o.bootedSlot().equals("B")) {
            add("ota.booted_slot", "expected A or B, got '" + o.bootedSlot() + "'");
        }
        if (o.hardwareId() != null && o.hardwareId().isBlank()) add("ota.hardware_id", "empty");
        if (o.imageVersion() != null) {
            try {
                dev.vgate.ota.manifest.Version.parse(o.imageVersion());
            } catch (IllegalArgumentException e) {
                add("ota.image_version", e.getMessage());
            }
        }
    }

    private void slot(String field, Path slot) {
        if (slot == null) add(field, "required");
        else if (!Files.exists(slot)) add(field, "not found: " + slot);
        else if (Files.isDirectory(slot)) add(field, "is a directory, not a device or image file: " + slot);
    }

    private void bootControl(BootControl b) {
        if (b == null) {
            add("ota.boot_control.backend", "required: uboot, grub or file");
        } else if (b instanceof BootControl.UBoot u) {
            requiredFile("ota.boot_control.fw_env_config", u.fwEnvConfig());
            range("ota.boot_control.attempts", u.attempts(), 1, 10);
            if (u.scheme() == BootControl.UbootScheme.BOOTCOUNT) {
                if (!u.slotVariable().matches("[A-Za-z0-9_.-]+")) {
                    add("ota.boot_control.slot_variable", "not a U-Boot variable name: '" + u.slotVariable() + "'");
                }
                if (u.slotAValue().isBlank()) add("ota.boot_control.slot_a_value", "must not be empty");
                if (u.slotBValue().isBlank()) add("ota.boot_control.slot_b_value", "must not be empty");
                if (u.slotAValue().equals(u.slotBValue())) {
                    add("ota.boot_control.slot_b_value", "is the same as slot_a_value ('" + u.slotAValue() + "')");
                }
            }
        } else if (b instanceof BootControl.Grub g) {
            if (g.grubenv() == null) add("ota.boot_control.grubenv", "required for backend grub");
            else requiredFile("ota.boot_control.grubenv", g.grubenv());
        } else if (b instanceof BootControl.File f) {
            if (f.stateFile() == null) add("ota.boot_control.state_file", "required for backend file");
            else if (f.stateFile().getParent() == null || !Files.isDirectory(f.stateFile().getParent())) {
                add("ota.boot_control.state_file", "folder not found: " + f.stateFile().getParent());
            }
        }
    }

    private void program(String field, List<String> argv) {
        Path exe = Path.of(argv.get(0));
        if (!exe.isAbsolute()) add(field, "the program must be an absolute path, got '" + argv.get(0) + "'");
        else if (!Files.isRegularFile(exe)) add(field, "program not found: " + exe);
        else if (!Files.isExecutable(exe)) add(field, "not executable: " + exe);
    }

    private void status() {
        StatusConfig s = c.status();
        if (s.file() == null) add("status.file", "required");
        else if (!s.file().isAbsolute()) add("status.file", "must be an absolute path, got " + s.file());
        between("status.publish_period", s.publishPeriod(), Duration.ofSeconds(1), Duration.ofHours(1));
    }

    private void optionalFile(String field, Path file) {
        if (file != null) requiredFile(field, file);
    }

    private void requiredFile(String field, Path file) {
        if (!Files.exists(file)) add(field, "file not found: " + file);
        else if (Files.isDirectory(file)) add(field, "is a directory, not a file: " + file);
        else if (!Files.isReadable(file)) add(field, "not readable: " + file);
    }

    private void between(String field, Duration d, Duration min, Duration max) {
        if (d == null) add(field, "required");
        else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            add(field, "must be between " + ConfigValues.formatDuration(min) + " and "
                    + ConfigValues.formatDuration(max) + ", got " + ConfigValues.formatDuration(d));
        }
    }

    private void wholeSeconds(String field, Duration d, Duration min, Duration max) {
        if (d != null && d.toMillis() % 1000 != 0) {
            add(field, "must be whole seconds, got " + ConfigValues.formatDuration(d));
        } else {
            between(field, d, min, max);
        }
    }

    private void range(String field, long v, long min, long max) {
        if (v < min || v > max) add(field, "must be between " + min + " and " + max + ", got " + v);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return dev.vgate.ota.install.FileIdentity.same(a, b); // device + inode, and a device node's rdev
        } catch (IOException e) {
            // fall back to comparing the names
            return a.normalize().equals(b.normalize());
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) return true;
        return false;
    }

    private void add(String field, String message) {
        problems.add(field + ": " + message);
    }
}
