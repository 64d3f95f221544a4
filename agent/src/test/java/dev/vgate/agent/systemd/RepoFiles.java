package dev.vgate.agent.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files of the checkout the packaging tests compare: the unit, the Yocto layer, the poms. */
final class RepoFiles {
    private RepoFiles() {}

    /** The checkout's root (the folder holding mvnw), found from the module's working directory. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("systemd"))) return p;
        }
        throw new IllegalStateException("checkout root not found above " + Path.of("").toAbsolutePath());
    }

    static Path unit() {
        return root().resolve("systemd/vgate.service");
    }

    /**
     * A unit file's settings as "Section.Key" → values in order (a key may repeat); comments and blank
     * lines dropped, backslash continuations joined.
     */
    static Map<String, List<String>> unitSettings(Path unit) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String section = "";
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(unit)) {
            String line = pending + raw.strip();
            pending.setLength(0);
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[")) {
                section = line.substring(1, line.indexOf(']'));
                continue;
            }
            int eq = line.indexOf('=');
            out.computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return out;
    }

    /** The single value of a setting, failing when it is absent or repeated. */
    static String single(Map<String, List<String>> settings, String key) {
        List<String> v = settings.get(key);
        if (v == null || v.size() != 1) throw new AssertionError(key + " must be set exactly once, got " + v);
        return v.get(0);
    }

    /** The unit's ExecStart split into words (the unit uses no quoting). */
    static List<String> execStart() throws IOException {
        return List.of(single(unitSettings(unit()), "Service.ExecStart").split("\\s+"));
    }
}
