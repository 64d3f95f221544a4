package dev.vgate.buffer.policy;

import dev.vgate.buffer.Priority;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLoaderTest {
    static final String GOOD = String.join("\n",
            "version: 1",
            "default: {mode: off}",
            "rules:",
            "  - match: 'BMS_542.SocDisp'",
            "    mode: on-change",
            "    deadband: 0.5",
            "  - match: '*Counter*'",
            "    mode: off",
            "  - match: 'VBatt'",
            "    bus: can0",
            "    mode: max-rate",
            "    interval_ms: 100",
            "    priority: bulk",
            "  - match: 'GPS_?.*'",
            "    mode: adaptive",
            "    deadband: 0.0001",
            "    interval_ms: 100",
            "    max_interval_ms: 10000",
            "  - match: 'Airbag*'",
            "    mode: every",
            "    priority: alert",
            "");

    @Test void firstMatchingRuleWinsWithGlobsOverSignalOrMessageDotSignal() throws Exception {
        CollectionPolicy p = PolicyLoader.parse(GOOD, "policy.yaml");
        assertEquals(new SignalPolicy(Mode.ON_CHANGE, Priority.NORMAL, 0.5, 0, 0), p.resolve("can0", "BMS_542", "SocDisp"));
        assertEquals(Mode.OFF, p.resolve("can0", "BMS_542", "SocDispl").mode(), "default");
        assertEquals(Mode.OFF, p.resolve("can0", "VCU_200", "Counter").mode());
        assertEquals(Mode.OFF, p.resolve("can0", "VCU_200", "AliveCounter2").mode());
        assertEquals(new SignalPolicy(Mode.MAX_RATE, Priority.BULK, 0, 100_000, 0), p.resolve("can0", "Batt_HV_Status", "VBatt"));
        assertEquals(Mode.OFF, p.resolve("can1", "Batt_HV_Status", "VBatt").mode(), "rule restricted to can0");
        assertEquals(new SignalPolicy(Mode.ADAPTIVE, Priority.NORMAL, 0.0001, 100_000, 10_000_000), p.resolve("can0", "GPS_1", "Lat"));
        assertEquals(Mode.OFF, p.resolve("can0", "GPS_12", "Lat").mode(), "? is exactly one character");
        assertEquals(Priority.ALERT, p.resolve("can0", "SRS", "AirbagDeployed").priority());
        assertEquals(5, p.rules().size());
    }

    @Test void errorsNameTheRuleAndTheField() {
        assertError("version: 1\nrules:\n  - {match: 'X', mode: sometimes}\n", "rule 1 (X): mode 'sometimes' is not one of");
        assertError("version: 1\nrules:\n  - {match: 'A', mode: every}\n  - {match: 'X', mode: max-rate}\n", "rule 2 (X): mode max-rate needs 'interval_ms' > 0");
        assertError("version: 1\nrules:\n  - {match: 'X', mode: on-change, deadband: -1}\n", "rule 1 (X): 'deadband' must be >= 0");
        assertError("version: 1\nrules:\n  - {match: 'X', mode: every, priority: urgent}\n", "rule 1 (X): priority 'urgent' is not one of alert, normal, bulk");
        assertError("version: 1\nrules:\n  - {match: 'X', mode: every, deadbnd: 1}\n", "rule 1 (X): unknown field 'deadbnd'");
        assertError("version: 1\nrules:\n  - {match: 'X', mode: every, deadband: 1}\n", "rule 1 (X): 'deadband' has no meaning for mode every");
        assertError("version: 1\nrules:\n  - {mode: every}\n", "rule 1: 'match' (a signal name glob) is required");
        assertError("version: 1\nrules:\n  - {match: 'X', mode: adaptive, interval_ms: 500, max_interval_ms: 100}\n", "'interval_ms' 500 is above 'max_interval_ms' 100");
        assertError("version: 1\nrules:\n  - {match: 'X', mode: on-change, deadband: lots}\n", "'deadband' must be a number, found 'lots'");
        assertError("version: 2\n", "'version' must be 1");
        assertError("version: 1\nrules: [\n", "not valid YAML");
        assertError("- 1\n", "expected a mapping");
        assertError("version: 1\ndefault: {match: 'X', mode: every}\n", "default: 'match' and 'bus' belong in rules");
    }

    private static void assertError(String yaml, String expected) {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse(yaml, "p.yaml"));
        assertTrue(e.getMessage().startsWith("p.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
