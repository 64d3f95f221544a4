package dev.vgate.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 18, cases 2, 8 and 9 for rules files: what a hostile or careless rules file costs is computed from the
 * file and refused over a budget before it is allocated, nesting is bounded, and every refusal is a
 * {@link RulesException} with one line (never an OutOfMemoryError or a StackOverflowError).
 */
class RulesResourceLimitsTest {
    private final TestDbc dbc = TestDbc.demo();

    private static String rule(String name, String when, String extra) {
        return "  - name: " + name + "\n    when: '" + when + "'\n" + extra + "    actions: [ { alert: { severity: info } } ]\n";
    }

    @Test void twentyMillionEntryRateLimitsAreRefusedBeforeTheyAreAllocated() {
        StringBuilder y = new StringBuilder("rules:\n");
        for (int k = 0; k < 20; k++) y.append(rule("r" + k, "BMS_Temp > " + k, "    rate_limit: { max: 1000000, per: 1h }\n"));
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(y.toString(), "rate.yaml", dbc));
        assertTrue(e.getMessage().contains("over the budget of 8388608 bytes (rules_memory)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test void sixtyHourLongWindowsAreRefusedWithoutAllocatingThem() {
        StringBuilder y = new StringBuilder("rules:\n");
        for (int k = 1; k <= 60; k++) y.append(rule("w" + k, "max(BMS_Temp, " + k + "h) > 60", ""));
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(y.toString(), "windows.yaml", dbc));
        assertTrue(e.getMessage().contains("over the budget"), e.getMessage());
    }

    @Test void theBudgetIsWhatTheEngineNeedsAndALargerBudgetAdmitsIt() throws Exception {
        String y = "rules:\n" + rule("w", "max(BMS_Temp, 1h) > 60", "") + rule("r", "SoC < 5", "    rate_limit: { max: 1000, per: 1h }\n");
        RuleSet set = RuleSet.parse(y, "ok.yaml", dbc, 64L << 20);
        long windowRing = SlidingWindow.bytesFor(1 << 16);
        assertTrue(set.memoryBytes() >= windowRing + 8 * 1000, "memory " + set.memoryBytes());
        assertThrows(RulesException.class, () -> RuleSet.parse(y, "ok.yaml", dbc, set.memoryBytes() - windowRing));
        new RuleEngine(set); // and the engine builds within it
    }

    @Test void captureRingsCountAgainstTheSameBudget() throws Exception {
        String y = "rules:\n" + rule("r", "SoC < 5", "    rate_limit: { max: 1000, per: 1h }\n");
        long budget = 1L << 20;
        long engine = RuleSet.parse(y, "r.yaml", dbc, budget).memoryBytes();
        // the engine alone fits; with rings taking the rest of the budget (pre_trigger_samples) it does not
        RuleSet.parse(y, "r.yaml", dbc, budget, budget - engine - 4096);
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(y, "r.yaml", dbc, budget, budget - 1000));
        assertTrue(e.getMessage().contains(", capture pre-trigger rings " + (budget - 1000) + "), over the budget of 1048576 bytes (rules_memory)"),
                e.getMessage());
        // rings over the budget on their own: refused before the file is read (4,000,000 samples × 20 bytes)
        e = assertThrows(RulesException.class, () -> RuleSet.parse(y, "r.yaml", dbc, RuleSet.DEFAULT_MEMORY_BUDGET, 80_000_048L));
        assertEquals("r.yaml: the capture pre-trigger rings (telemetry policy pre_trigger_samples) take 80000048 bytes, "
                + "over the budget of 8388608 bytes (rules_memory)", e.getMessage());
    }

    @Test void integralWindowsCountAgainstTheBudgetAndAreNotAllocatedWhenRefused() throws Exception {
        StringBuilder y = new StringBuilder("rules:\n");
        for (int k = 1; k <= 200; k++) y.append(rule("i" + k, "integral(BMS_Temp, " + k + "h) > 60", ""));
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(y.toString(), "integrals.yaml", dbc));
        assertTrue(e.getMessage().contains("over the budget"), e.getMessage());
        String one = "rules:\n" + rule("i", "integral(BMS_Temp, 1h) > 60", "");
        RuleSet set = RuleSet.parse(one, "one.yaml", dbc, 64L << 20);
        long ring = IntegralWindow.bytesFor(1 << 16);
        assertTrue(set.memoryBytes() >= ring, "memory " + set.memoryBytes());
        assertThrows(RulesException.class, () -> RuleSet.parse(one, "one.yaml", dbc, set.memoryBytes() - ring));
    }

    @Test void countersAndTheirWindowsCountAgainstTheBudget() throws Exception {
        String base = "rules:\n" + rule("r", "SoC < 5", "");
        String withCounter = "counters:\n  - { name: hot, count: 'max(BMS_Temp, 1h) > 60' }\n" + base;
        long plain = RuleSet.parse(base, "a.yaml", dbc, 64L << 20).memoryBytes();
        long counted = RuleSet.parse(withCounter, "b.yaml", dbc, 64L << 20).memoryBytes();
        assertTrue(counted >= plain + SlidingWindow.bytesFor(1 << 16) + CounterRuntime.bytesFor(null), plain + " -> " + counted);
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(withCounter, "b.yaml", dbc, plain + 1000));
        assertTrue(e.getMessage().startsWith("b.yaml: counters brings the rules' engine memory to "), e.getMessage());
    }

    @Test void aThousandCallArgumentsAreACleanError() {
        String when = "max(" + "BMS_Temp, ".repeat(1000) + "SoC) > 1";
        RuleValidationException e = assertThrows(RuleValidationException.class,
                () -> RuleSet.parse("rules:\n" + rule("wide", when, ""), "wide.yaml", dbc));
        assertTrue(e.getMessage().contains("operators and call arguments"), e.getMessage());
    }

    @Test void theDefaultRulesFitTheDefaultBudgetEasily() throws Exception {
        RuleSet set = RuleSet.defaults(dbc);
        assertTrue(set.memoryBytes() > 0 && set.memoryBytes() < RuleSet.DEFAULT_MEMORY_BUDGET / 8, "memory " + set.memoryBytes());
    }

    @Test void eightHundredNestedParenthesesAreACleanError() {
        String when = "(".repeat(800) + "BMS_Temp > 1" + ")".repeat(800);
        RuleValidationException e = assertThrows(RuleValidationException.class,
                () -> RuleSet.parse("rules:\n" + rule("deep", when, ""), "deep.yaml", dbc));
        assertTrue(e.getMessage().contains("nested deeper than 32 levels"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, "the condition is abbreviated: " + e.getMessage());
        assertThrows(RuleValidationException.class,
                () -> RuleSet.parse("rules:\n" + rule("nots", "not ".repeat(800) + "BMS_Temp > 1", ""), "deep.yaml", dbc));
        assertThrows(RuleValidationException.class,
                () -> RuleSet.parse("rules:\n" + rule("neg", "BMS_Temp > " + "-".repeat(800) + "1", ""), "deep.yaml", dbc));
    }

    @Test void aFourThousandTermAndChainIsACleanError() {
        String when = String.join(" and ", java.util.Collections.nCopies(4000, "BMS_Temp > 1"));
        RuleValidationException e = assertThrows(RuleValidationException.class,
                () -> RuleSet.parse("rules:\n" + rule("long", when, ""), "long.yaml", dbc));
        assertTrue(e.getMessage().contains("more than 256 operators"), e.getMessage());
    }

    @Test void nestingWithinTheLimitsStillLoads() throws Exception {
        String when = "(".repeat(30) + "BMS_Temp > 1" + ")".repeat(30) + " and " + String.join(" or ", java.util.Collections.nCopies(100, "SoC < 5"));
        assertEquals(1, RuleSet.parse("rules:\n" + rule("ok", when, ""), "ok.yaml", dbc).rules().size());
    }

    @Test void yamlNestedAThousandDeepIsARulesException() {
        String deep = "rules: " + "[".repeat(1000) + "]".repeat(1000) + "\n";
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(deep, "deep.yaml", dbc));
        assertTrue(e.getMessage().contains("nesting deeper than 64 levels"), e.getMessage());
    }

    @Test void aTwoMegabyteRulesFileIsRefusedAtTheReadLimit(@TempDir Path dir) throws Exception {
        StringBuilder poly = new StringBuilder("geofences:\n  big:\n    polygon: [");
        for (int k = 0; poly.length() < 2_000_000; k++) poly.append("[").append(k % 90).append(".123456, 10.654321], ");
        poly.append("[1, 2]]\nrules:\n").append(rule("r", "BMS_Temp > 1", ""));
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, poly, StandardCharsets.UTF_8);
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.load(f, dbc));
        assertTrue(e.getMessage().contains("larger than the limit of 1048576 bytes"), e.getMessage());
    }

    @Test void aPolygonOverThePointLimitIsRefused() {
        StringBuilder poly = new StringBuilder("geofences:\n  big:\n    polygon: [");
        for (int k = 0; k < 1001; k++) poly.append("[").append(k % 90).append(", 10], ");
        poly.append("[1, 2]]\nrules:\n").append(rule("r", "BMS_Temp > 1", ""));
        RuleValidationException e = assertThrows(RuleValidationException.class, () -> RuleSet.parse(poly.toString(), "p.yaml", dbc));
        assertTrue(e.getMessage().contains("more than the limit of 1000"), e.getMessage());
    }
}
