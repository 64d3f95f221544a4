package dev.vgate.rules.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.rules.ActionSink;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import dev.vgate.rules.Sample;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the rules loader (YAML, the condition language, the resource budget) against the demo DBC: a file
 * loads or fails with a {@link RulesException} whose message is one line without Java class names; what loads
 * stays within its memory budget, builds an engine and evaluates samples without throwing. A
 * StackOverflowError or OutOfMemoryError at the unit's heap (96 MiB, 512 KiB stacks) is a finding.
 *
 * <p>Seeds in {@code RulesLoaderFuzzTestInputs}: the shipped default rules, the examples of docs/rules.md and
 * the crafted cases of issue 18 (million-entry rate limits, hour-long windows, deep nesting, long chains);
 * the {@code fuzz-rules} execution fuzzes for a bounded time (docs/security.md#fuzzing).
 */
class RulesLoaderFuzzTest {
    static final Pattern JAVA_CLASS = Pattern.compile("\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*\\.[A-Z]\\w*(Exception|Error)");
    private static RuleDbc dbc;

    @BeforeAll static void setUp() throws Exception { dbc = RuleDbc.of(DemoDbc.load()); }

    @FuzzTest(maxDuration = "20s")
    void rulesFilesLoadWithinBudgetOrFailWithOneReadableLine(byte[] input) {
        RuleSet set;
        try {
            set = RuleSet.parse(new String(input, StandardCharsets.UTF_8), "fuzz.yaml", dbc);
        } catch (RulesException e) {
            assertFalse(e.getMessage().contains("\n") && !e.getMessage().contains("YAML"), e.getMessage());
            assertFalse(JAVA_CLASS.matcher(e.getMessage()).find(), e.getMessage());
            return;
        }
        assertTrue(set.memoryBytes() <= RuleSet.DEFAULT_MEMORY_BUDGET, "memory " + set.memoryBytes());
        RuleEngine engine = new RuleEngine(set);
        Sample s = new Sample();
        int n = dbc.signalCount();
        for (int k = 0; k < 64; k++) {
            s.set((k * 7) % n, (k % 5 == 0 ? -1 : 1) * k * 13.7, k * 10_000_000L);
            engine.evaluate(s, ActionSink.NONE);
        }
    }
}
