package dev.vgate.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default config shipped in systemd/ (and the image), and docs/configuration.md, against the loader. */
class ShippedConfigTest {
    @TempDir Path dir;

    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("systemd"))) return p;
        }
        throw new IllegalStateException("checkout root not found");
    }

    /** Lays the default config out as the image does: /etc/vgate/{vgate.yaml, vehicle-id, dbc/}. */
    private Path installDefault(boolean provisioned) throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc/vgate/dbc"));
        Files.copy(repo().resolve("systemd/vgate.yaml"), etc.getParent().resolve("vgate.yaml"));
        Files.copy(repo().resolve("dbc/src/main/resources/dev/vgate/dbc/demo/vgate-demo.dbc"),
                etc.resolve("vgate-demo.dbc"));
        if (provisioned) Files.writeString(etc.getParent().resolve("vehicle-id"), "KMHK381GFMU123456\n");
        return etc.getParent().resolve("vgate.yaml");
    }

    @Test void defaultConfigIsValidOnAProvisionedImage() throws Exception {
        Path etc = installDefault(true).getParent();
        VgateConfig c = ConfigLoader.load(etc.resolve("vgate.yaml"));
        assertEquals("KMHK381GFMU123456", c.vehicleId());
        assertEquals(VgateConfig.DEFAULT_STATE_DIR, c.stateDir());
        assertEquals(List.of(etc.resolve("dbc/vgate-demo.dbc")), c.buses().get(0).dbc());
        assertEquals("can0", c.buses().get(0).iface());
        assertEquals(StatusConfig.DEFAULT_FILE, c.status().file());
    }

    @Test void unprovisionedImageSaysWhatIsMissing() throws Exception {
        Path f = installDefault(false);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertEquals(List.of("vehicle_id_file: file not found: " + f.getParent().resolve("vehicle-id") + " (line 8)"),
                e.problems());
    }

    @Test void docsDocumentEveryFieldTheLoaderKnows() throws Exception {
        String docs = Files.readString(repo().resolve("docs/configuration.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `([a-z0-9_.\\[\\]]+)` \\|", Pattern.MULTILINE).matcher(docs);
        while (m.find()) documented.add(m.group(1));
        Set<String> known = new TreeSet<>();
        for (String line : exampleConfig(docs).describe()) {
            known.add(line.substring(0, line.indexOf(" = ")).replaceAll("\\[\\d+]", "[]"));
        }
        known.add("vehicle_id_file"); // read into vehicle_id, so not a line of its own
        Set<String> missing = new TreeSet<>(known);
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "fields the loader reads but docs/configuration.md does not document");
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(known);
        assertEquals(Set.of("ota.boot_control.grubenv", "ota.boot_control.state_file"), stale,
                "documented fields the loader does not read (other backends are expected here)");
    }

    /** The docs' example, loaded with every file it names created, so only the field names and types are judged. */
    private VgateConfig exampleConfig(String docs) throws Exception {
        Matcher block = Pattern.compile("## Example.*?```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertTrue(block.find(), "no yaml example in docs/configuration.md");
        Path etc = Files.createDirectories(dir.resolve("example"));
        String yaml = block.group(1).replace("/var/lib/vgate", etc.resolve("state").toString())
                .replace("/dev/disk/by-partlabel/", etc + "/").replace("/etc/fw_env.config", etc + "/fw_env.config")
                .replace("/usr/bin/vgate-selftest", "/bin/true");
        for (String f : List.of("dbc/powertrain.dbc", "dbc/bms.dbc", "dbc/body.dbc", "logs/drive.log",
                "tls/fleet-ca.pem", "tls/vehicle.pem", "tls/vehicle.key", "collection.yaml", "rules.yaml",
                "trust.yaml", "commands-can.yaml", "rootfs_a", "rootfs_b", "fw_env.config", "ota-trust.yaml")) {
            Files.createDirectories(etc.resolve(f).getParent());
            Files.writeString(etc.resolve(f), "x");
        }
        return ConfigLoader.parse(yaml, etc.resolve("vgate.yaml"));
    }
}
