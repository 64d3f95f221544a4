package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules over the DBCs of several buses: one index space, names resolved across buses, ambiguity refused. */
class MultiBusDbcTest {
    /** A charging-station bus; ChargerTemp is also a demo DBC signal, EVSE_Command exists only here. */
    static final String CHARGING_DBC = """
            VERSION ""

            NS_ :

            BS_:

            BU_: EVSE GW

            BO_ 1536 EVSE_Status: 8 EVSE
             SG_ CableTemp : 0|8@1+ (1,-40) [-40|215] "degC" GW
             SG_ ChargerTemp : 8|8@1+ (1,-40) [-40|215] "degC" GW

            BO_ 1537 EVSE_Command: 8 GW
             SG_ StopCharging : 0|1@1+ (1,0) [0|1] "" EVSE
            """;

    private DbcDatabase demo, charging;
    private MultiBusDbc dbc;

    @BeforeEach void load() throws Exception {
        demo = DemoDbc.load();
        charging = DbcDatabase.parse(CHARGING_DBC, "charging.dbc");
        Map<String, List<DbcDatabase>> buses = new LinkedHashMap<>();
        buses.put("powertrain", List.of(demo));
        buses.put("charging", List.of(charging));
        dbc = MultiBusDbc.of(buses);
    }

    private RuleSet rules(String when, String message) throws RulesException {
        return RuleSet.parse("""
                rules:
                  - name: r
                    when: %s
                    actions:
                      - can: { message: %s }
                """.formatted(when, message), "t.yaml", dbc);
    }

    @Test void signalsOfEveryBusShareOneIndexSpace() {
        assertEquals(demo.signals().size() + charging.signals().size(), dbc.signalCount());
        assertEquals(0, dbc.offset("powertrain", demo));
        assertEquals(demo.signals().size(), dbc.offset("charging", charging));
        assertEquals(-1, dbc.offset("charging", demo));
        assertEquals(demo.signals().size() + charging.signal("CableTemp").index(), dbc.signal("CableTemp").index());
        assertEquals(demo.signal("BMS_Temp").index(), dbc.signal("BMS_Temp").index());
        assertEquals("degC", dbc.signal("CableTemp").unit());
    }

    @Test void aRuleReadsOneBusAndSendsOnAnother() throws Exception {
        RuleSet set = rules("CableTemp > 60", "BMS_Command");
        Action.SendCan can = (Action.SendCan) set.rule("r").actions().get(0);
        assertEquals("powertrain", can.bus());
        assertEquals(0x301, can.message().frameId());
        assertEquals("charging", ((Action.SendCan) rules("BMS_Temp > 60", "EVSE_Command").rule("r").actions().get(0)).bus());

        List<String> sent = new ArrayList<>();
        CanFrameSender sender = new CanFrameSender() {
            @Override public void send(CanFrame f) { throw new AssertionError("the bus must be named"); }
            @Override public void send(String bus, CanFrame f) { sent.add(bus + ":" + Integer.toHexString(f.id())); }
        };
        ActionDispatcher d = new ActionDispatcher(sender, (task, delay) -> task.run(), a -> { }, new FaultCodes(), (r, p, at, pre, post) -> { });
        FrameEvaluator ev = new FrameEvaluator(new RuleEngine(set), d);
        int cable = dbc.offset("charging", charging) + charging.signal("CableTemp").index();
        ev.evaluate("can1", 1_000_000L, new int[] {cable}, new double[] {50}, 1);
        assertEquals(List.of(), sent);
        ev.evaluate("can1", 2_000_000L, new int[] {cable}, new double[] {70}, 1);
        assertEquals(List.of("powertrain:301"), sent);
    }

    @Test void aNameOnTwoBusesMustBeQualified() throws Exception {
        RuleValidationException e = assertThrows(RuleValidationException.class, () -> rules("ChargerTemp > 60", "BMS_Command"));
        assertEquals("when", e.field());
        assertTrue(e.reason().contains("signal 'ChargerTemp' is ambiguous: defined on bus powertrain and bus charging"), e.getMessage());
        assertTrue(e.reason().contains("powertrain.Charger_Status.ChargerTemp, charging.EVSE_Status.ChargerTemp"), e.getMessage());
        assertNull(dbc.signal("ChargerTemp"));

        // every qualified form resolves to one of the two
        int onCharging = dbc.offset("charging", charging) + charging.signal("ChargerTemp").index();
        assertEquals(onCharging, dbc.signal("charging.ChargerTemp").index());
        assertEquals(onCharging, dbc.signal("EVSE_Status.ChargerTemp").index());
        assertEquals(onCharging, dbc.signal("charging.EVSE_Status.ChargerTemp").index());
        assertEquals(demo.signal("ChargerTemp").index(), dbc.signal("powertrain.ChargerTemp").index());
        rules("charging.ChargerTemp > 60 and powertrain.ChargerTemp > 60", "BMS_Command");
    }

    @Test void theSameDbcOnTwoBusesIsTwoSetsOfSignals() throws Exception {
        Map<String, List<DbcDatabase>> buses = new LinkedHashMap<>();
        buses.put("front", List.of(demo));
        buses.put("rear", List.of(demo));
        MultiBusDbc two = MultiBusDbc.of(buses);
        assertEquals(2 * demo.signals().size(), two.signalCount());
        assertNull(two.signal("BMS_Temp"));
        assertTrue(two.unknownSignal("BMS_Temp").contains("front.BMS_Thermal.BMS_Temp, rear.BMS_Thermal.BMS_Temp"), two.unknownSignal("BMS_Temp"));
        assertEquals(demo.signals().size() + demo.signal("BMS_Temp").index(), two.signal("rear.BMS_Temp").index());
        assertNull(two.message("BMS_Command"));
        assertTrue(two.unknownMessage("BMS_Command").contains("qualify it as one of front.BMS_Command, rear.BMS_Command"), two.unknownMessage("BMS_Command"));
        assertSame(demo.messageByName("BMS_Command"), two.message("rear.BMS_Command"));
        assertEquals("rear", two.messageBus("rear.BMS_Command"));
    }

    @Test void unknownNamesSayWhereTheyWereLookedFor() {
        RuleValidationException e = assertThrows(RuleValidationException.class, () -> rules("CableTmp > 60", "BMS_Command"));
        assertTrue(e.reason().contains("unknown signal 'CableTmp' (not in the DBC of any bus (powertrain, charging)"), e.getMessage());
        e = assertThrows(RuleValidationException.class, () -> rules("CableTemp > 60", "BMS_Cmd"));
        assertEquals("actions[0].can.message", e.field());
        assertTrue(e.reason().contains("unknown message 'BMS_Cmd'"), e.getMessage());
    }
}
