package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a rules file can be wrong fails at load time, naming the rule, the field and the reason. */
class RulesFileValidationTest {
    private static RuleValidationException invalid(String yaml) {
        return assertThrows(RuleValidationException.class, () -> RuleSet.parse(yaml, "t.yaml", TestDbc.demo()));
    }

    private static String rule(String body) {
        return "rules:\n  - name: cutoff\n" + body;
    }

    private static final String ALERT = "    actions:\n      - alert: { severity: critical }\n";

    private static void assertNames(RuleValidationException e, String rule, String field, String reasonPart) {
        assertEquals(rule, e.rule(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reasonPart), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.yaml: "), e.getMessage());
    }

    @Test void unknownSignal() {
        assertNames(invalid(rule("    when: BMS_Tmp > 60\n" + ALERT)), "cutoff", "when", "unknown signal 'BMS_Tmp'");
    }

    @Test void unknownSignalInClear() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    clear: BMSTemp < 55\n" + ALERT)), "cutoff", "clear", "unknown signal 'BMSTemp'");
    }

    @Test void wrongUnit() {
        assertNames(invalid(rule("    when: BMS_Temp > 60 V\n" + ALERT)), "cutoff", "when", "does not match BMS_Temp's DBC unit 'degC'");
        // °C and degC are the same unit
        assertDoesNotThrow(() -> RuleSet.parse(rule("    when: BMS_Temp > 60 °C\n" + ALERT), "t.yaml", TestDbc.demo()));
    }

    @Test void unknownLabelInCondition() {
        assertNames(invalid(rule("    when: ChargeState == CHRGING\n" + ALERT)), "cutoff", "when", "values: CHARGING, COMPLETE, CONNECTED, FAULT, IDLE");
    }

    @Test void syntaxErrorHasColumn() {
        assertNames(invalid(rule("    when: BMS_Temp > > 60\n" + ALERT)), "cutoff", "when", "at column 12");
    }

    @Test void valueWhereConditionExpected() {
        assertNames(invalid(rule("    when: BMS_Temp + 1\n" + ALERT)), "cutoff", "when", "expected a condition");
        assertNames(invalid(rule("    when: stale(BMS_Temp) \n" + ALERT)), "cutoff", "when", "stale() takes (signal, timeout)");
        assertNames(invalid(rule("    when: rate(BMS_Temp, 5) > 1\n" + ALERT)), "cutoff", "when", "positive duration");
        assertNames(invalid(rule("    when: avg(BMS_Temp, 5s) > 1\n" + ALERT)), "cutoff", "when", "unknown function 'avg'");
        assertNames(invalid(rule("    when: BMS_Temp > 200ms\n" + ALERT)), "cutoff", "when", "debounce");
    }

    @Test void unknownField() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    clera: BMS_Temp < 55\n" + ALERT)), "cutoff", "clera", "unknown field");
    }

    @Test void missingWhenAndActions() {
        assertNames(invalid(rule(ALERT)), "cutoff", "when", "missing");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n")), "cutoff", "actions", "at least one action");
    }

    @Test void ruleWithoutNameIsNamedByPosition() {
        assertNames(invalid("rules:\n  - when: BMS_Temp > 60\n" + ALERT), "#1", "name", "missing");
    }

    @Test void duplicateName() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n" + ALERT) + "  - name: cutoff\n    when: BMS_Temp > 70\n" + ALERT), "cutoff", "name", "duplicate");
    }

    @Test void canActionUnknownMessageSignalOrLabel() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - can: { message: BMS_Cmd }\n")),
                "cutoff", "actions[0].can.message", "unknown message 'BMS_Cmd'");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - can: { message: BMS_Command, signals: { Contactor: OPEN } }\n")),
                "cutoff", "actions[0].can.signals.Contactor", "has no signal 'Contactor'");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - can: { message: BMS_Command, signals: { ContactorRequest: OPENED } }\n")),
                "cutoff", "actions[0].can.signals.ContactorRequest", "values: CLOSE, OPEN, PRECHARGE");
    }

    @Test void canActionThatDoesNotEncode() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - can: { message: BMS_Command, signals: { ChargeCurrentLimit: 9000 } }\n")),
                "cutoff", "actions[0].can.signals", "does not encode");
    }

    @Test void repeatNeedsPeriod() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - can: { message: BMS_Command, repeat: 3 }\n")),
                "cutoff", "actions[0].can.period", "needs a period");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - can: { message: BMS_Command, repeat: 3, period: 10 }\n")),
                "cutoff", "actions[0].can.period", "with its unit");
    }

    @Test void badAlertFaultCollect() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - alert: { severity: panic }\n")),
                "cutoff", "actions[0].alert.severity", "not a severity");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - fault: { code: p0a7e }\n")),
                "cutoff", "actions[0].fault.code", "not a fault code");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - collect: { policy: full }\n")),
                "cutoff", "actions[0].collect", "pre");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    actions:\n      - beep: {}\n")),
                "cutoff", "actions[0]", "unknown action 'beep'");
    }

    @Test void geofenceErrors() {
        assertNames(invalid(rule("    when: inside(depot)\n" + ALERT)), "cutoff", "when", "unknown geofence 'depot'");
        assertNames(invalid("geofences:\n  depot: { circle: { lat: 95, lon: 11, radius: 100m } }\n" + rule("    when: inside(depot, Latitude, Longitude)\n" + ALERT)),
                null, "geofences.depot.circle.lat", "not in -90.0..90.0");
        assertNames(invalid("geofences:\n  depot: { circle: { lat: 45, lon: 11, radius: 100m } }\n" + rule("    when: inside(depot)\n" + ALERT)),
                "cutoff", "when", "needs position signals");
    }

    @Test void rateLimitErrors() {
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    rate_limit: { max: 0, per: 1min }\n" + ALERT)), "cutoff", "rate_limit.max", "not in");
        assertNames(invalid(rule("    when: BMS_Temp > 60\n    rate_limit: { max: 2 }\n" + ALERT)), "cutoff", "rate_limit.per", "missing");
    }

    @Test void yamlErrorsAreRulesExceptions() {
        RulesException e = assertThrows(RulesException.class, () -> RuleSet.parse("rules: [\n", "t.yaml", TestDbc.demo()));
        assertTrue(e.getMessage().startsWith("t.yaml: not valid YAML"), e.getMessage());
        e = assertThrows(RulesException.class, () -> RuleSet.parse("rules: []\nrules: []\n", "t.yaml", TestDbc.demo()));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        assertNames(invalid("- a\n"), null, "rules", "mapping");
        assertNames(invalid("rules: []\n"), null, "rules", "non-empty");
        assertNames(invalid("rulez: []\n"), null, "rulez", "unknown field");
    }

    @Test void theIssueExampleLoads() throws Exception {
        RuleSet set = RuleSet.parse("rules:\n"
                + "  - name: battery-overtemp-cutoff\n"
                + "    when: BMS_Temp > 60 for 200ms        # signal names from the DBC, units as in the DBC\n"
                + "    clear: BMS_Temp < 55\n"
                + "    actions:\n"
                + "      - can: { message: BMS_Command, signals: { ContactorRequest: OPEN }, repeat: 3, period: 10ms }\n"
                + "      - alert: { severity: critical }\n", "t.yaml", TestDbc.demo());
        Rule r = set.rule("battery-overtemp-cutoff");
        Action.SendCan can = (Action.SendCan) r.actions().get(0);
        assertEquals(3, can.repeat());
        assertEquals(10_000_000L, can.periodNanos());
        // ContactorRequest=OPEN(1), ChargeCurrentLimit initial raw 2000 = 0x07D0 at bits 8..23
        assertEquals("[1, -48, 7, 0, 0, 0, 0, 0]", java.util.Arrays.toString(can.payload()));
        assertEquals(java.util.List.of("BMS_Temp"), r.signals().stream().map(dev.vgate.dbc.Signal::name).toList());
    }
}
