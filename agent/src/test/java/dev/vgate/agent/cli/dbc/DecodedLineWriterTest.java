package dev.vgate.agent.cli.dbc;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.Signal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecodedLineWriterTest {
    private final DbcDatabase db;

    DecodedLineWriterTest() throws Exception { db = DemoDbc.load(); }

    @Test void scaledIntegersPrintAtTheFactorsResolution() {
        Signal volts = db.signal("PackVoltage");           // factor 0.05
        double physical = 8273 * 0.05;                      // 413.65000000000003 as a double
        assertEquals("413.65", DecodedLineWriter.textNumber(new StringBuilder(), volts, 8273, DecodedLineWriter.readable(volts, physical)).toString());
        Signal temp = db.signal("BMS_Temp");                // factor 0.1, signed
        assertEquals("-12.3", DecodedLineWriter.textNumber(new StringBuilder(), temp, -123, DecodedLineWriter.readable(temp, -123 * 0.1)).toString());
    }

    @Test void floatSignalsAndUnscaledIntegersAreUntouched() {
        Signal energy = db.signal("ChargeEnergy");          // IEEE float32
        assertEquals(20.7523193359375, DecodedLineWriter.readable(energy, 20.7523193359375));
        Signal counter = db.signal("BMS_Counter");          // factor 1
        assertEquals(4.0, DecodedLineWriter.readable(counter, 4.0));
    }

    @Test void negativeTimestampsKeepTheirValueInJsonAndText() {
        CanFrame f = new CanFrame().id(0x121).data((byte) 1).iface("can0").timestampNanos(-364_210_000L);
        assertEquals("{\"t\":-0.364210,\"bus\":\"can0\",\"id\":289,\"error\":\"short\"}",
                new DecodedLineWriter(true).appendError(f, "short", new StringBuilder()).toString());
        assertEquals("(-0.364210) can0 121#01 :: short", new DecodedLineWriter(false).appendError(f, "short", new StringBuilder()).toString());
    }
}
