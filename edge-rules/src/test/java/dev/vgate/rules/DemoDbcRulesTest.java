package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default rules against the real demo DBC and the real decoder/encoder. */
class DemoDbcRulesTest {
    @Test void defaultRulesLoadAndTheCutoffFrameIsEncodedByTheDbcEngine() throws Exception {
        DbcDatabase db = DemoDbc.load();
        RuleSet set = RuleSet.defaults(RuleDbc.of(db));
        assertEquals(7, set.rules().size());
        Action.SendCan can = (Action.SendCan) set.rule("battery-overtemp-cutoff").actions().get(0);
        assertEquals(0x301, can.message().frameId());
        // ContactorRequest OPEN (1), ChargeCurrentLimit 0, CutoffReason 1
        assertArrayEquals(new byte[] {1, 0, 0, 1, 0, 0, 0, 0}, can.payload());
    }

    @Test void framesThroughTheRealDecoderFireTheCutoff() throws Exception {
        DbcDatabase db = DemoDbc.load();
        RuleEngine engine = new RuleEngine(RuleSet.defaults(RuleDbc.of(db)));
        List<String> sent = new ArrayList<>();
        ActionDispatcher d = new ActionDispatcher(f -> sent.add(f.toString()), (task, delay) -> task.run(),
                AlertSink.NONE, new FaultCodes(), CollectionControl.NONE);
        FrameEvaluator ev = new FrameEvaluator(engine, db.newDecoder(), d);
        CanFrame f = new CanFrame().iface("vcan0");
        for (int k = 0; k <= 3; k++) {
            // BMS_Thermal: BMS_Temp 61.0 degC (raw 610 = 0x0262), CoolantTemp 60 (raw 100)
            f.id(0x101).flags(0).data((byte) 0x62, (byte) 0x02, (byte) 0, (byte) 0, (byte) 100, (byte) 0, (byte) 0, (byte) 0)
                    .timestampNanos(1_000_000_000L + k * 100_000_000L);
            ev.onFrame(f);
        }
        assertEquals(List.of("(1.200000) vcan0 301#0100000100000000", "(1.200000) vcan0 301#0100000100000000",
                "(1.200000) vcan0 301#0100000100000000"), sent);
    }
}
