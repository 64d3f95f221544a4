package dev.vgate.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** A config folder with the files a valid configuration refers to, and helpers to load YAML from it. */
final class ConfigFixture {
    static final String VEHICLE = "vehicle_id: KMHK381GFMU123456\n";
    static final String BUSES = """
            buses:
              - name: powertrain
                interface: can0
                dbc: dbc/ev.dbc
            """;
    static final String MQTT = """
            mqtt:
              url: ssl://mqtt.example.com:8883
            """;
    /** The smallest valid configuration (state_dir is set by {@link #load}). */
    static final String MINIMAL = VEHICLE + BUSES + MQTT;

    final Path dir;

    ConfigFixture(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("dbc"));
        Files.createDirectories(dir.resolve("tls"));
        Files.createDirectories(dir.resolve("state"));
        for (String f : List.of("dbc/ev.dbc", "dbc/body.dbc", "rules.yaml", "trust.yaml", "policy.yaml",
                "commands-can.yaml", "drive.log", "tls/ca.pem", "tls/vehicle.pem", "tls/vehicle.key",
                "fw_env.config", "grubenv", "slot-a.img", "slot-b.img", "vehicle-id")) {
            Files.writeString(dir.resolve(f), f.equals("vehicle-id") ? "KMHK381GFMU999999\n" : "x\n");
        }
    }

    Path file(String relative) {
        return dir.resolve(relative);
    }

    /** Loads YAML written to vgate.yaml in the fixture folder; state_dir defaults to the fixture's state/. */
    VgateConfig load(String yaml) throws ConfigException, IOException {
        return ConfigLoader.load(write(withStateDir(yaml)));
    }

    /** The problems reported for YAML that must be rejected. */
    List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).problems();
    }

    Path write(String yaml) throws IOException {
        Path f = dir.resolve("vgate.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static String withStateDir(String yaml) {
        return yaml.contains("state_dir:") ? yaml : yaml + "state_dir: state\n";
    }
}
