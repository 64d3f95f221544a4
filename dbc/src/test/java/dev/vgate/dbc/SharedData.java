package dev.vgate.dbc;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real DBCs and recordings in ../shared/data (system property vgate.shared.data); tests skip without them. */
final class SharedData {
    private SharedData() {}

    static Path dir() {
        String p = System.getProperty("vgate.shared.data");
        Path dir = p == null ? null : Path.of(p);
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir.resolve("dbc")),
                "skipped: real data not found (system property vgate.shared.data=" + p + "; expected ../shared/data beside the checkout)");
        return dir;
    }
}
