package dev.vgate.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest vgate.yaml a daemon or CLI test starts from: a vehicle id, {@code state_dir: state}, virtual buses
 * (by default one, {@code powertrain} on {@code can0} with {@code demo.dbc}), an MQTT url (by default one nothing
 * listens on), optional rules, the test's own sections, and the status file under the test folder.
 */
public final class VgateYaml {
    private final String vehicleId;
    private final List<String> buses = new ArrayList<>();
    private String mqttUrl = "tcp://127.0.0.1:1";
    private List<String> mqttSettings = List.of();
    private String rules;
    private final StringBuilder sections = new StringBuilder();

    private VgateYaml(String vehicleId) { this.vehicleId = vehicleId; }

    public static VgateYaml vehicle(String vehicleId) { return new VgateYaml(vehicleId); }

    /** A virtual bus; without any, the config has {@code powertrain} on {@code can0} with {@code demo.dbc}. */
    public VgateYaml virtualBus(String name, String iface, String dbc) { return bus(name, "virtual", iface, dbc); }

    /** A bus of any kind ({@code virtual}, {@code socketcan}, ...) with one DBC. */
    public VgateYaml bus(String name, String kind, String iface, String dbc) {
        buses.add("""
                  - name: %s
                    kind: %s
                    interface: %s
                    dbc: %s
                """.formatted(name, kind, iface, dbc));
        return this;
    }

    /** The broker, and further {@code mqtt:} settings, one a line ("reconnect_min: 100ms"). */
    public VgateYaml mqtt(String url, String... settings) {
        this.mqttUrl = url;
        this.mqttSettings = List.of(settings);
        return this;
    }

    /** {@code rules: FILE} (relative to the config's folder). */
    public VgateYaml rules(String file) {
        this.rules = file;
        return this;
    }

    /** Top-level YAML of the test's own (whole sections, each line ending in a newline). */
    public VgateYaml with(String yaml) {
        sections.append(yaml);
        return this;
    }

    /** The text, with the status file at {@code dir/run/status.json}. */
    public String text(Path dir) {
        StringBuilder y = new StringBuilder();
        y.append("vehicle_id: ").append(vehicleId).append('\n');
        y.append("state_dir: state\n");
        y.append("buses:\n");
        if (buses.isEmpty()) virtualBus("powertrain", "can0", "demo.dbc");
        buses.forEach(y::append);
        y.append("mqtt:\n  url: ").append(mqttUrl).append('\n');
        for (String m : mqttSettings) y.append("  ").append(m).append('\n');
        if (rules != null) y.append("rules: ").append(rules).append('\n');
        y.append(sections);
        y.append("status:\n  file: ").append(dir.resolve("run/status.json")).append('\n');
        return y.toString();
    }

    /** Writes {@link #text} to {@code dir/vgate.yaml}; returns that path. */
    public Path writeTo(Path dir) throws IOException {
        return Files.writeString(dir.resolve("vgate.yaml"), text(dir));
    }
}
