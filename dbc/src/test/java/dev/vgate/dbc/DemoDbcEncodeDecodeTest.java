package dev.vgate.dbc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled demo DBC: loads clean, and known frames encode/decode to known bytes and values. */
class DemoDbcEncodeDecodeTest {
    private final DbcDatabase db = load();

    private static DbcDatabase load() {
        try {
            return DemoDbc.load();
        } catch (DbcException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Object> decode(Message m, byte[] data) {
        Map<String, Object> out = new LinkedHashMap<>();
        DecodeStatus st = db.newDecoder().decode(m.frameId(), m.isExtended(), data, data.length, (s, raw, v) -> {
            String label = s.label(raw);
            out.put(s.name(), label != null ? label : v);
        });
        assertEquals(DecodeStatus.OK, st);
        return out;
    }

    @Test
    void demoDbcLoadsWithoutWarnings() {
        assertEquals(List.of(), db.warnings());
        assertEquals(11, db.messages().size());
        Message gps = db.messageByName("GPS_Position");
        assertTrue(gps.isExtended());
        assertEquals(0x18FEF100, gps.frameId());
        assertTrue(db.messageByName("BMS_CellData").isFd());
        assertEquals(100, db.messageByName("BMS_Status").cycleTimeMs());
        assertEquals(Signal.ValueType.FLOAT32, db.signal("ChargeEnergy").valueType());
        assertEquals(2000, db.signal("BMS_Command.ChargeCurrentLimit").initialRaw());
        assertEquals("CHARGING", db.signal("BMS_State").label(3));
        assertEquals("Hottest module temperature of the pack.", db.signal("BMS_Temp").comment());
    }

    @Test
    void intelFrameEncodesToKnownBytesAndBack() throws Exception {
        Message m = db.messageByName("BMS_Status");
        byte[] frame = db.encoder().encode(m, Map.of("PackVoltage", 401.25, "PackCurrent", -12.3, "SoC", 80.5, "BMS_State", "CHARGING"));
        // 401.25/0.05 = 8025 = 0x1F59; -123 = 0xFF85; 805 = 0x325 in bits 32..41; state 3 in bits 42..44
        assertArrayEquals(new byte[] {0x59, 0x1F, (byte) 0x85, (byte) 0xFF, 0x25, 0x0F, 0, 0}, frame);
        Map<String, Object> v = decode(m, frame);
        assertEquals(401.25, (double) v.get("PackVoltage"), 1e-9);
        assertEquals(-12.3, (double) v.get("PackCurrent"), 1e-9);
        assertEquals(80.5, (double) v.get("SoC"), 1e-9);
        assertEquals("CHARGING", v.get("BMS_State"));
    }

    @Test
    void motorolaFrameEncodesToKnownBytesAndBack() throws Exception {
        Message m = db.messageByName("Motor_Status");
        byte[] frame = db.encoder().encode(m, Map.of("MotorSpeed", -2, "MotorTorque", 100.5, "InverterTemp", 45, "MotorMode", "REGEN"));
        // MotorSpeed 7|16@0- = bytes 0-1 big-endian 0xFFFE; MotorTorque 23|12@0- raw 201 = 0x0C9 in byte 2 + high nibble of byte 3;
        // InverterTemp 27|8@0+ raw 85 = 0x55: low nibble of byte 3, high nibble of byte 4; MotorMode 43|3@0+ = 2 in byte 5 bits 3..1
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x0C, (byte) 0x95, 0x50, 0x04, 0, 0}, frame);
        Map<String, Object> v = decode(m, frame);
        assertEquals(-2.0, v.get("MotorSpeed"));
        assertEquals(100.5, v.get("MotorTorque"));
        assertEquals(45.0, v.get("InverterTemp"));
        assertEquals("REGEN", v.get("MotorMode"));
    }

    @Test
    void floatAndExtendedAndMultiplexedFdFrames() throws Exception {
        Map<String, Object> charger = decode(db.messageByName("Charger_Status"),
                db.encoder().encode(db.messageByName("Charger_Status"), Map.of("ChargeEnergy", 12.375, "ChargeState", "CHARGING")));
        assertEquals(12.375, charger.get("ChargeEnergy"));
        Map<String, Object> gps = decode(db.messageByName("GPS_Position"),
                db.encoder().encode(db.messageByName("GPS_Position"), Map.of("Latitude", 48.1351253, "Longitude", -11.5819806)));
        assertEquals(48.1351253, (double) gps.get("Latitude"), 1e-7);
        assertEquals(-11.5819806, (double) gps.get("Longitude"), 1e-7);

        Message cells = db.messageByName("BMS_CellData");
        byte[] g1 = db.encoder().encode(cells, Map.of("CellGroup", 1, "CellVoltage4", 3.712, "CellVoltage7", 4.2));
        assertEquals(64, g1.length);
        Map<String, Object> v = decode(cells, g1);
        assertEquals(List.of("CellGroup", "CellVoltage4", "CellVoltage5", "CellVoltage6", "CellVoltage7"), new ArrayList<>(v.keySet()));
        assertEquals(3.712, (double) v.get("CellVoltage4"), 1e-9);
        byte[] g2 = db.encoder().encode(cells, Map.of("CellGroup", 2, "BalancingMask", java.math.BigInteger.ONE.shiftLeft(63).add(java.math.BigInteger.valueOf(5))));
        List<Long> raws = new ArrayList<>();
        db.newDecoder().decode(cells.frameId(), false, g2, 64, (s, raw, val) -> { if (s.name().equals("BalancingMask")) raws.add(raw); });
        assertEquals(List.of(Long.MIN_VALUE | 5), raws);
    }

    @Test
    void refusedFramesSayWhyAndDeliverNothing() throws Exception {
        FrameDecoder dec = db.newDecoder();
        List<String> seen = new ArrayList<>();
        SignalSink sink = (s, raw, v) -> seen.add(s.name());
        assertEquals(DecodeStatus.UNKNOWN_ID, dec.decode(0x51B, false, new byte[8], 8, sink));
        assertEquals("Unknown frame id 1307 (0x51b)", dec.lastError());
        assertNull(dec.lastMessage());
        assertEquals(DecodeStatus.UNKNOWN_ID, dec.decode(256, true, new byte[8], 8, sink), "an 11-bit id is not a 29-bit id");
        assertEquals(DecodeStatus.WRONG_LENGTH, dec.decode(256, false, new byte[7], 7, sink));
        assertEquals("Wrong data size: 7 instead of 8 bytes", dec.lastError());
        byte[] cells = new byte[64];
        cells[0] = 9;
        assertEquals(DecodeStatus.UNKNOWN_MULTIPLEXER, dec.decode(258, false, cells, 64, sink));
        assertEquals("expected multiplexer id 0, 1 or 2, but got 9 (BMS_CellData.CellGroup)", dec.lastError());
        assertEquals(List.of(), seen);
    }

    @Test
    void encoderRefusesWhatItCannotRepresentNamingTheSignal() {
        Message m = db.messageByName("BMS_Status");
        DbcEncodeException range = assertThrows(DbcEncodeException.class, () -> db.encoder().encode(m, Map.of("SoC", 100.5)));
        assertEquals("signal BMS_Status.SoC value 100.5 is out of range [0.0, 100.0] %", range.getMessage());
        DbcEncodeException label = assertThrows(DbcEncodeException.class, () -> db.encoder().encode(m, Map.of("BMS_State", "BOOST")));
        assertEquals("signal BMS_Status.BMS_State has no label \"BOOST\" (labels: OFF, STANDBY, DRIVE, CHARGING, FAULT)", label.getMessage());
        DbcEncodeException dbcRange = assertThrows(DbcEncodeException.class,
                () -> db.encoder().encode(db.messageByName("Charger_Status"), Map.of("ChargePower", 700)));
        assertEquals("signal Charger_Status.ChargePower value 700.0 is out of range [0.0, 655.35] kW", dbcRange.getMessage());
        DbcEncodeException unknown = assertThrows(DbcEncodeException.class, () -> db.encoder().encode(m, Map.of("Speed", 1)));
        assertEquals("message BMS_Status has no signal Speed", unknown.getMessage());
        DbcEncodeException inactive = assertThrows(DbcEncodeException.class,
                () -> db.encoder().encode(db.messageByName("BMS_CellData"), Map.of("CellGroup", 0, "CellVoltage4", 3.7)));
        assertEquals("signal BMS_CellData.CellVoltage4 is not active when CellGroup = 0", inactive.getMessage());
    }

    @Test
    void encoderRefusesRawValuesThatDoNotFitTheBits() throws Exception {
        DbcDatabase small = DbcDatabase.parse("BO_ 1 M: 1 X\n SG_ B : 0|8@1- (0.5,0) [0|0] \"\" X\n", "small.dbc");
        DbcEncodeException e = assertThrows(DbcEncodeException.class, () -> small.encoder().encode(small.messageByName("M"), Map.of("B", 64)));
        assertEquals("signal M.B value 64 is out of range: raw 128 does not fit in 8 bits signed (physical -64.0 .. 63.5)", e.getMessage());
        assertEquals(-128, small.encoder().encode(small.messageByName("M"), Map.of("B", -64))[0]);
    }

    @Test
    void encoderRoundsHalfToEvenAndUsesInitialValues() throws Exception {
        Message cmd = db.messageByName("BMS_Command");
        byte[] f = db.encoder().encode(cmd, Map.of());
        assertEquals(2000, (f[1] & 0xFF) | (f[2] & 0xFF) << 8, "ChargeCurrentLimit takes GenSigStartValue");
        Message dyn = db.messageByName("Vehicle_Dynamics");
        byte[] a = db.encoder().encode(dyn, Map.of("VehicleSpeed", 0.025)); // 2.5 raw → 2
        byte[] b = db.encoder().encode(dyn, Map.of("VehicleSpeed", 0.035)); // 3.5 raw → 4
        assertEquals(2, a[0]);
        assertEquals(4, b[0]);
    }
}
