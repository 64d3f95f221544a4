package dev.vgate.buffer.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 18, cases 8, 9 and 11 for the collection policy: overflowing intervals, deep YAML and endless files are refused. */
class PolicyLimitsTest {
    @Test void anIntervalThatWouldOverflowIsRefused() {
        // 9.2e15 ms * 1000 overflowed to a negative interval, which kept every sample
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse(
                "version: 1\nrules:\n  - match: X\n    mode: max-rate\n    interval_ms: 9.2e15\n", "p.yaml"));
        assertTrue(e.getMessage().contains("'interval_ms' must be a whole number of ms from 0 to 86400000"), e.getMessage());
        assertThrows(PolicyException.class, () -> PolicyLoader.parse(
                "version: 1\nrules:\n  - match: X\n    mode: adaptive\n    max_interval_ms: 9223372036854775807\n", "p.yaml"));
        assertThrows(PolicyException.class, () -> PolicyLoader.parse(
                "version: 1\nrules:\n  - match: X\n    mode: max-rate\n    interval_ms: 0.5\n", "p.yaml"));
    }

    @Test void aDayIsTheLongestInterval() throws Exception {
        CollectionPolicy p = PolicyLoader.parse("version: 1\nrules:\n  - match: X\n    mode: max-rate\n    interval_ms: 86400000\n", "p.yaml");
        assertEquals(86_400_000_000L, p.resolve("can0", "M", "X").intervalUs());
    }

    @Test void deepYamlIsAPolicyException() {
        PolicyException e = assertThrows(PolicyException.class,
                () -> PolicyLoader.parse("version: 1\nrules: " + "[".repeat(1000) + "]".repeat(1000), "p.yaml"));
        assertTrue(e.getMessage().contains("nesting deeper than 64 levels"), e.getMessage());
    }

    @Test void devZeroAsThePolicyFileStopsAtTheLimit() {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) return;
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(zero));
        assertTrue(e.getMessage().contains("larger than the limit of 1048576 bytes"), e.getMessage());
    }

    @Test void aTwoMegabytePolicyIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "version: 1\n" + "#".repeat(2 << 20) + "\n");
        assertThrows(PolicyException.class, () -> PolicyLoader.load(f));
    }
}
