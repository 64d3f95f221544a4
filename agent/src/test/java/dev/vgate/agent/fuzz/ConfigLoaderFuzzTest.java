package dev.vgate.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vgate.agent.config.ConfigException;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the daemon's configuration loader (YAML, binding, validation) with files whose relative paths point
 * into a folder holding the files a configuration names: a file loads or fails with a {@link ConfigException}
 * listing problems of one line each, without Java class names (any other exception, a StackOverflowError or an
 * OutOfMemoryError at the unit's heap is a finding); what loads describes itself.
 *
 * <p>Seeds in {@code ConfigLoaderFuzzTestInputs}: the shipped systemd/vgate.yaml, the examples of
 * docs/configuration.md and the crafted cases of issue 18; the {@code fuzz-config} execution fuzzes for a
 * bounded time (docs/security.md#fuzzing).
 */
class ConfigLoaderFuzzTest {
    static final Pattern JAVA_CLASS = Pattern.compile("\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*\\.[A-Z]\\w*(Exception|Error)");
    private static Path dir;

    @BeforeAll static void setUp() throws Exception {
        dir = Files.createTempDirectory("vgate-config-fuzz");
        for (String f : new String[] {"ev.dbc", "rules.yaml", "trust.yaml", "policy.yaml", "commands-can.yaml", "drive.log", "ca.pem"}) {
            Files.writeString(dir.resolve(f), "x\n");
        }
        Files.createDirectories(dir.resolve("state"));
    }

    @AfterAll static void tearDown() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "20s")
    void configFilesLoadOrFailWithReadableProblems(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            VgateConfig c = ConfigLoader.parse(text, dir.resolve("vgate.yaml"));
            assertNotNull(c.describe());
        } catch (ConfigException e) {
            assertTrue(!e.problems().isEmpty());
            for (String p : e.problems()) {
                assertFalse(p.contains("\n"), "more than one line: " + p);
                assertFalse(JAVA_CLASS.matcher(p).find(), "Java class name: " + p);
            }
        }
    }
}
