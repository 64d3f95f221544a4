package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A recording through the example rule: JSON events with the recording's clock and the encoded frames. */
class ReplayTest {
    private static final String RULES = "rules:\n"
            + "  - name: battery-overtemp-cutoff\n"
            + "    when: BMS_Temp > 60 for 200ms\n"
            + "    clear: BMS_Temp < 55\n"
            + "    actions:\n"
            + "      - can: { message: BMS_Command, signals: { ContactorRequest: OPEN }, repeat: 3, period: 10ms }\n"
            + "      - alert: { severity: critical }\n";

    /** BMS_Thermal (0x101) with BMS_Temp in 0.1 degC, little-endian signed 16 bit at byte 0. */
    private static String thermal(double sec, double temp) {
        int raw = (int) Math.round(temp * 10);
        return String.format("(%.6f) can0 101#%02X%02X000000000000", sec, raw & 0xFF, (raw >> 8) & 0xFF);
    }

    @Test void recordingProducesFiredAndClearedLines() throws Exception {
        StringBuilder log = new StringBuilder();
        log.append(thermal(1700000000.0, 58)).append('\n');
        log.append(thermal(1700000000.1, 61)).append('\n');
        log.append("(1700000000.150000) can0 7FF#00\n");      // unknown id: ignored
        log.append("garbage line\n");                            // reported and skipped
        log.append(thermal(1700000000.2, 61.5)).append('\n');
        log.append(thermal(1700000000.3, 62)).append('\n');      // 200 ms above 60 since 0.1 -> fires here
        log.append(thermal(1700000000.4, 57)).append('\n');      // between 55 and 60: still active
        log.append(thermal(1700000000.5, 54.9)).append('\n');    // clears
        RuleSet set = RuleSet.parse(RULES, "t.yaml", TestDbc.demo());
        List<String> out = new ArrayList<>();
        RulesReplay.Summary s = new RulesReplay(set, TestDbc.demo().decoder()).run(new BufferedReader(new StringReader(log.toString())), out::add);
        assertEquals(List.of(
                "{\"t\":1700000000.3,\"rule\":\"battery-overtemp-cutoff\",\"event\":\"fired\",\"frames\":["
                        + "\"(1700000000.300000) can0 301#01D0070000000000\","
                        + "\"(1700000000.310000) can0 301#01D0070000000000\","
                        + "\"(1700000000.320000) can0 301#01D0070000000000\"]}",
                "{\"t\":1700000000.5,\"rule\":\"battery-overtemp-cutoff\",\"event\":\"cleared\",\"frames\":[]}"), out);
        assertEquals(new RulesReplay.Summary(8, 7, 6, 1, 2), s);
    }

    @Test void secondsFormatting() {
        StringBuilder sb = new StringBuilder();
        ReplayEventWriter.appendSeconds(sb, 1_700_000_000_200_000_000L);
        sb.append(' ');
        ReplayEventWriter.appendSeconds(sb, 1_700_000_000_000_000_000L);
        sb.append(' ');
        ReplayEventWriter.appendSeconds(sb, 1_700_000_000_000_001_999L);
        assertEquals("1700000000.2 1700000000.0 1700000000.000001", sb.toString());
        sb.setLength(0);
        ReplayEventWriter.appendSeconds(sb, -364_210_000L);   // a recording whose clock is before 1970
        sb.append(' ');
        ReplayEventWriter.appendSeconds(sb, -1_500_000_000L);
        sb.append(' ');
        ReplayEventWriter.appendSeconds(sb, -2_000_000_000L);
        assertEquals("-0.36421 -1.5 -2.0", sb.toString());
    }
}
