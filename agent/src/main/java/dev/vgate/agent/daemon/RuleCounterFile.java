package dev.vgate.agent.daemon;

import dev.vgate.ota.boot.AtomicFiles;
import dev.vgate.rules.Counter;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules' counters on disk ({@code STATE_DIR/rule-counters}, one {@code name value latched} line each), so a
 * charge-cycle count survives restarts and power cuts: written atomically (temp file, fsync, rename) whenever a
 * counter changed, at most once per save period, and at the stop. A power cut loses at most the last period.
 */
final class RuleCounterFile implements RulesPart.Counters {
    private final Path file;
    private Map<String, Counter.State> lastSaved = Map.of();

    RuleCounterFile(Path stateDir) { this.file = stateDir.resolve("rule-counters"); }

    @Override public Map<String, Counter.State> load() {
        Map<String, Counter.State> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] p = line.trim().split(" ");
                if (p.length != 3) continue;
                try {
                    m.put(p[0], new Counter.State(Double.parseDouble(p[1]), p[2].equals("1")));
                } catch (NumberFormatException e) {
                    Logger.warn("{}: skipping bad counter line '{}'", file, line);
                }
            }
        } catch (NoSuchFileException e) {
            return m;
        } catch (IOException e) {
            Logger.error("cannot read rule counters {}: {}; counters start at 0", file, e.getMessage());
        }
        lastSaved = Map.copyOf(m);
        return m;
    }

    /** Writes the counters when they differ from the last saved ones. */
    @Override public synchronized void save(Map<String, Counter.State> counters) {
        if (counters.isEmpty() || counters.equals(lastSaved)) return;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Counter.State> e : counters.entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue().value()).append(' ').append(e.getValue().latched() ? 1 : 0).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.replace(file, sb.toString().getBytes(StandardCharsets.UTF_8));
            lastSaved = Map.copyOf(counters);
        } catch (IOException e) {
            Logger.error("cannot save rule counters to {}: {}", file, e.getMessage());
        }
    }
}
