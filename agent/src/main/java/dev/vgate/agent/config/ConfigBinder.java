package dev.vgate.agent.config;

import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the YAML tree into the {@link VgateConfig} records, applying defaults. Only types and spelling are
 * checked here (wrong type, unknown field, a setting of another backend); whether the values make sense
 * together is {@link ConfigValidator}'s job.
 */
final class ConfigBinder {
    private final List<String> problems;

    ConfigBinder(List<String> problems) {
        this.problems = problems;
    }

    VgateConfig bind(YamlMap root, Path source) {
        String vehicleId = vehicleId(root);
        Path stateDir = root.path("state_dir", VgateConfig.DEFAULT_STATE_DIR);
        List<BusConfig> buses = new ArrayList<>();
        for (YamlMap b : root.maps("buses")) buses.add(bus(b));
        YamlMap mqtt = root.map("mqtt");
        YamlMap telemetry = root.map("telemetry");
        Path rules = root.path("rules");
        long rulesMemory = root.size("rules_memory", dev.vgate.rules.RuleSet.DEFAULT_MEMORY_BUDGET);
        YamlMap commands = root.map("commands");
        YamlMap ota = root.map("ota");
        YamlMap status = root.map("status");
        YamlMap logging = root.map("logging");
        YamlMap diag = root.map("diag");
        VgateConfig config = new VgateConfig(source, vehicleId, stateDir, buses,
                mqtt == null ? null : mqtt(mqtt, vehicleId),
                telemetry == null ? TelemetryConfig.defaults() : telemetry(telemetry),
                rules,
                commands == null ? null : commands(commands),
                ota == null ? null : ota(ota),
                status == null ? StatusConfig.defaults() : status(status),
                logging == null ? LoggingConfig.DEFAULT : logging(logging),
                rulesMemory,
                diag == null ? null : DiagConfigBinder.bind(diag, problems));
        root.finish();
        return config;
    }

    /** {@code vehicle_id}, or the first line of {@code vehicle_id_file} (written when the gateway is provisioned). */
    private String vehicleId(YamlMap root) {
        String inline = root.string("vehicle_id");
        Path file = root.path("vehicle_id_file");
        if (file == null) return inline;
        if (inline != null) {
            root.problem("vehicle_id_file", "vehicle_id is set too: keep one of them");
            return inline;
        }
        try {
            String text = dev.vgate.input.BoundedFiles.readUtf8(file, 4096).strip();
            if (text.isEmpty()) root.problem("vehicle_id_file", "file is empty: " + file);
            return text.isEmpty() ? null : text.lines().findFirst().orElse("").strip();
        } catch (NoSuchFileException e) {
            root.problem("vehicle_id_file", "file not found: " + file);
        } catch (IOException e) {
            root.problem("vehicle_id_file", "cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }

    private BusConfig bus(YamlMap b) {
        BusKind kind = enumValue(b, "kind", BusKind.class, BusKind.SOCKETCAN);
        List<IdRange> filter = new ArrayList<>();
        for (Map.Entry<String, ScalarNode> item : b.scalarItems("id_filter")) {
            try {
                filter.add(parseRange(item.getValue().getValue()));
            } catch (IllegalArgumentException e) {
                problems.add(item.getKey() + ": " + e.getMessage() + YamlMap.line(item.getValue()));
            }
        }
        BusConfig bus = new BusConfig(b.string("name"), kind, b.string("interface"), b.path("log"),
                b.bool("loop", false), b.decimal("speed", 1.0), b.paths("dbc"), filter);
        b.finish();
        return bus;
    }

    /** {@code 0x123}, {@code 291} or an inclusive range {@code 0x100-0x1FF}. */
    static IdRange parseRange(String text) {
        String[] parts = text.split("-", -1);
        try {
            if (parts.length == 1) return IdRange.single(ConfigValues.parseInteger(parts[0]));
            if (parts.length == 2) {
                return new IdRange(ConfigValues.parseInteger(parts[0]), ConfigValues.parseInteger(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("expected a CAN id such as 0x123 or a range such as 0x100-0x1FF, got '"
                + text + "'");
    }

    private MqttConfig mqtt(YamlMap m, String vehicleId) {
        YamlMap tls = m.map("tls");
        TlsConfig tlsConfig = TlsConfig.NONE;
        if (tls != null) {
            tlsConfig = new TlsConfig(tls.path("ca"), tls.path("cert"), tls.path("key"));
            tls.finish();
        }
        String password = m.string("password");
        MqttConfig config = new MqttConfig(
                m.string("url"),
                m.string("client_id", vehicleId == null ? null : "vgate-" + vehicleId),
                m.string("username"),
                password == null ? null : new Secret(password),
                tlsConfig,
                m.duration("keepalive", MqttConfig.DEFAULT_KEEPALIVE),
                m.duration("session_expiry", MqttConfig.DEFAULT_SESSION_EXPIRY),
                m.string("topic_prefix", vehicleId == null ? null : "vgate/" + vehicleId),
                m.duration("connect_timeout", MqttConfig.DEFAULT_CONNECT_TIMEOUT),
                m.duration("reconnect_min", MqttConfig.DEFAULT_RECONNECT_MIN),
                m.duration("reconnect_max", MqttConfig.DEFAULT_RECONNECT_MAX));
        m.finish();
        return config;
    }

    private TelemetryConfig telemetry(YamlMap t) {
        TelemetryConfig config = new TelemetryConfig(
                t.path("policy"),
                t.duration("group_commit", TelemetryConfig.DEFAULT_GROUP_COMMIT),
                t.size("disk_quota", TelemetryConfig.DEFAULT_DISK_QUOTA),
                t.integer("upload_batch_size", TelemetryConfig.DEFAULT_UPLOAD_BATCH_SIZE),
                t.size("upload_batch_bytes", TelemetryConfig.DEFAULT_UPLOAD_BATCH_BYTES),
                t.duration("upload_interval", TelemetryConfig.DEFAULT_UPLOAD_INTERVAL),
                t.size("upload_drain_rate", TelemetryConfig.DEFAULT_UPLOAD_DRAIN_RATE));
        t.finish();
        return config;
    }

    private CommandsConfig commands(YamlMap c) {
        long maxPayload = c.size("max_payload", CommandsConfig.DEFAULT_MAX_PAYLOAD);
        if (maxPayload > Integer.MAX_VALUE) {
            c.problem("max_payload", "too large: " + maxPayload + " bytes");
            maxPayload = CommandsConfig.DEFAULT_MAX_PAYLOAD;
        }
        CommandsConfig config = new CommandsConfig(c.path("trust"),
                c.duration("clock_skew", CommandsConfig.DEFAULT_CLOCK_SKEW), (int) maxPayload, c.path("can_mapping"));
        c.finish();
        return config;
    }

    private OtaConfig ota(YamlMap o) {
        YamlMap boot = o.map("boot_control");
        List<String> reboot = o.has("reboot_command") ? o.strings("reboot_command") : OtaConfig.DEFAULT_REBOOT_COMMAND;
        OtaConfig config = new OtaConfig(o.path("slot_a"), o.path("slot_b"), boot == null ? null : bootControl(boot),
                o.path("trust"), reboot, o.duration("health_deadline", OtaConfig.DEFAULT_HEALTH_DEADLINE),
                o.stringLists("health_commands"), o.string("hardware_id"), o.string("image_version"),
                o.string("booted_slot"));
        o.finish();
        return config;
    }

    /** Each backend has its own settings; a setting of another backend is a mistake, not something to ignore. */
    private BootControl bootControl(YamlMap b) {
        String backend = b.string("backend");
        List<Map.Entry<String, String>> owner = List.of(Map.entry("fw_env_config", "uboot"),
                Map.entry("scheme", "uboot"), Map.entry("slot_variable", "uboot"), Map.entry("slot_a_value", "uboot"),
                Map.entry("slot_b_value", "uboot"), Map.entry("attempts", "uboot"),
                Map.entry("grubenv", "grub"), Map.entry("state_file", "file"));
        BootControl result = null;
        if (backend == null) {
            b.problem("backend", "required: uboot, grub or file");
        } else {
            switch (backend) {
                case "uboot" -> result = uboot(b);
                case "grub" -> result = new BootControl.Grub(b.path("grubenv"));
                case "file" -> result = new BootControl.File(b.path("state_file"));
                default -> b.problem("backend", "expected uboot, grub or file, got '" + backend + "'");
            }
        }
        for (Map.Entry<String, String> e : owner) {
            boolean set = b.has(e.getKey());
            if (set && result != null && !e.getValue().equals(backend)) {
                b.problem(e.getKey(), "only used by backend " + e.getValue() + ", but backend is " + backend);
            }
        }
        b.finish();
        return result;
    }

    private BootControl.UBoot uboot(YamlMap b) {
        BootControl.UbootScheme scheme = enumValue(b, "scheme", BootControl.UbootScheme.class, BootControl.UbootScheme.BOOTCOUNT);
        if (scheme == BootControl.UbootScheme.RAUC) {
            for (String k : List.of("slot_variable", "slot_a_value", "slot_b_value")) {
                if (b.has(k)) b.problem(k, "only used by scheme bootcount (rauc uses BOOT_ORDER and BOOT_<slot>_LEFT)");
            }
        }
        return new BootControl.UBoot(b.path("fw_env_config", BootControl.UBoot.DEFAULT_FW_ENV_CONFIG), scheme,
                b.string("slot_variable", BootControl.UBoot.DEFAULT_SLOT_VARIABLE),
                b.string("slot_a_value", BootControl.UBoot.DEFAULT_SLOT_A_VALUE),
                b.string("slot_b_value", BootControl.UBoot.DEFAULT_SLOT_B_VALUE),
                b.integer("attempts", BootControl.UBoot.DEFAULT_ATTEMPTS));
    }

    private StatusConfig status(YamlMap s) {
        StatusConfig config = new StatusConfig(s.path("file", StatusConfig.DEFAULT_FILE),
                s.duration("publish_period", StatusConfig.DEFAULT_PUBLISH_PERIOD));
        s.finish();
        return config;
    }

    private LoggingConfig logging(YamlMap l) {
        LoggingConfig config = new LoggingConfig(enumValue(l, "level", LogLevel.class, LogLevel.INFO));
        l.finish();
        return config;
    }

    private static <E extends Enum<E>> E enumValue(YamlMap m, String key, Class<E> type, E def) {
        String text = m.string(key);
        if (text == null) return def;
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text)) return e;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
        m.problem(key, "expected one of " + String.join(", ", names) + ", got '" + text + "'");
        return def;
    }
}
