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
