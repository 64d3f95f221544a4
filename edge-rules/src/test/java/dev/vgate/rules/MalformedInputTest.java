package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random conditions and rules files built from the language's own tokens: loading either succeeds
 * or throws a {@link RulesException} — never another exception type — and what loads also evaluates.
 */
class MalformedInputTest {
    private static final String[] TOKENS = {
            "BMS_Temp", "CoolantTemp", "ChargeState", "CHARGING", "SoC", "Latitude", "Nope", "BMS_Thermal.BMS_Temp",
            "60", "-4.5", "0", "1e3", "50%", "60 degC", "2 degC/min", "200ms", "10s", "1min", "km/h",
            ">", ">=", "<", "<=", "==", "!=", "=", "+", "-", "*", "/", "(", ")", ",", "and", "or", "not", "for",
            "drop(", "rise(", "rate(", "delta(", "max(", "min(", "stale(", "inside(", "outside(", "depot", "avg(",
            "°", "\"", "'", ":", "#", "{", "}", "[", "]", "\t", "\\"};

    @Test void randomConditionsFailOnlyWithRulesExceptions() {
        Random rnd = new Random(20261123);
        TestDbc dbc = TestDbc.demo();
        int loaded = 0;
        for (int run = 0; run < 1500; run++) {
            StringBuilder cond = new StringBuilder();
            int n = 1 + rnd.nextInt(9);
            for (int k = 0; k < n; k++) cond.append(TOKENS[rnd.nextInt(TOKENS.length)]).append(rnd.nextBoolean() ? " " : "");
            String yaml = "position: { lat: Latitude, lon: Longitude }\n"
                    + "geofences: { depot: { circle: { lat: 1, lon: 2, radius: 5m } } }\n"
                    + "rules:\n  - name: r\n    when: '" + cond.toString().replace("'", "''") + "'\n"
                    + "    actions: [ { alert: { severity: info } } ]\n";
            try {
                RuleSet set = RuleSet.parse(yaml, "fuzz.yaml", dbc);
                loaded++;
                RuleEngine e = new RuleEngine(set);
                Sample s = new Sample();
                for (int k = 0; k < 50; k++) {
                    s.set(rnd.nextInt(dbc.signalCount()), rnd.nextGaussian() * 100, k * 10_000_000L);
                    e.evaluate(s, ActionSink.NONE);
                }
            } catch (RulesException expected) {
                // the point: a typed, explained rejection
            } catch (RuntimeException | StackOverflowError e) {
                fail("condition '" + cond + "' threw " + e, e);
            }
        }
        if (loaded < 15) fail("the generator produced only " + loaded + " valid conditions; it tests too little");
    }

    @Test void randomYamlStructuresFailOnlyWithRulesExceptions() {
        Random rnd = new Random(7);
        String[] pieces = {"rules:", "\n  - ", "name: x", "when: BMS_Temp > 1", "actions:", "[", "]", "{", "}", ":", "- ",
                "alert: { severity: info }", "can: { message: BMS_Command }", "repeat: 3", "period: 1ms", "rate_limit:",
                "max: 1", "per: 1s", "\n    ", "\n", "geofences:", "polygon: [[1,2],[3,4]]", "circle:", "null", "~", "1.5", "&a", "*a", "!!binary"};
        for (int run = 0; run < 1000; run++) {
            StringBuilder y = new StringBuilder();
            int n = 1 + rnd.nextInt(16);
            for (int k = 0; k < n; k++) y.append(pieces[rnd.nextInt(pieces.length)]).append(' ');
            try {
                RuleSet.parse(y.toString(), "fuzz.yaml", TestDbc.demo());
            } catch (RulesException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("YAML <<" + y + ">> threw " + e, e);
            }
        }
    }

    /** A YAML quoted scalar keeps a line break where the source has a blank line; a rejection quoting that
     *  text must still be one escaped line, and bounded (found by the rules fuzzer in CI). */
    @Test void rejectionsQuotingTheFileStayOneBoundedLine() {
        String longTail = " and SoC > 1".repeat(500);
        // YAML double-quoted escapes: \a (BEL), \n, \e (ESC); the parser stops at the BEL
        String yaml = "rules:\n  - name: r\n    when: \"SoC > 1 and SoC \\a>\\n\\e[31m 1" + longTail + "\"\n"
                + "    actions: [ { alert: { severity: info } } ]\n";
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse(yaml, "bad.yaml", TestDbc.demo()));
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\u001b") || m.contains("\u0007"), m);
        assertTrue(m.startsWith("bad.yaml: rule 'r', field 'when': "), m);
        assertTrue(m.length() < 1200, "message of " + m.length() + " chars");
    }
}
