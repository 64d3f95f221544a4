package dev.vgate.rules;

import dev.vgate.dbc.DbcEncodeException;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.SignalSink;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written DBC for the rules tests: a subset of the demo DBC (same names, ids, layouts and units),
 * with a little-endian encoder, so the rules module is tested without depending on the DBC engine.
 */
final class TestDbc implements RuleDbc {
    final List<TSignal> signals = new ArrayList<>();
    final Map<String, TMessage> messages = new LinkedHashMap<>();
    private TMessage current;

    static TestDbc demo() {
        TestDbc d = new TestDbc();
        d.msg("BMS_Status", 256, 100)
                .sig("SoC", 32, 10, false, 0.1, 0, 0, 100, "%")
                .sig("BMS_State", 42, 3, false, 1, 0, 0, 7, "", 0, "OFF", 1, "STANDBY", 2, "DRIVE", 3, "CHARGING", 4, "FAULT");
        d.msg("BMS_Thermal", 257, 100)
                .sig("BMS_Temp", 0, 16, true, 0.1, 0, -40, 150, "degC")
                .sig("CoolantTemp", 32, 8, false, 1, -40, -40, 215, "degC");
        d.msg("Vehicle_Dynamics", 528, 20)
                .sig("VehicleSpeed", 0, 16, false, 0.01, 0, 0, 655.35, "km/h")
                .sig("LongAccel", 16, 16, true, 0.001, 0, -32.768, 32.767, "m/s2")
                .sig("BrakePressure", 32, 12, false, 0.1, 0, 0, 409.5, "bar")
                .sig("BrakePedal", 44, 1, false, 1, 0, 0, 1, "");
        d.msg("Charger_Status", 768, 100)
                .sig("ChargePower", 0, 16, false, 0.01, 0, 0, 655.35, "kW")
                .sig("ChargeState", 16, 3, false, 1, 0, 0, 7, "", 0, "IDLE", 1, "CONNECTED", 2, "CHARGING", 3, "COMPLETE", 4, "FAULT")
                .sig("ChargeEnergy", 32, 32, false, 1, 0, 0, 1000, "kWh");
        d.msg("BMS_Command", 769, 0)
                .sig("ContactorRequest", 0, 2, false, 1, 0, 0, 3, "", 0, "CLOSE", 1, "OPEN", 2, "PRECHARGE")
                .sig("ChargeCurrentLimit", 8, 16, false, 0.1, 0, 0, 6553.5, "A").initial(2000)
                .sig("CutoffReason", 24, 8, false, 1, 0, 0, 255, "");
        d.msg("GPS_Position", 0x18FEF100, 1000)
                .sig("Latitude", 0, 32, true, 1e-7, 0, -90, 90, "deg")
                .sig("Longitude", 32, 32, true, 1e-7, 0, -180, 180, "deg");
        return d;
    }

    TestDbc msg(String name, int id, int cycle) {
        current = new TMessage(messages.size(), name, id, cycle);
        messages.put(name, current);
        return this;
    }

    /** choices: raw, label, raw, label, ... */
    TestDbc sig(String name, int start, int len, boolean signed, double factor, double offset, double min, double max, String unit, Object... choices) {
        Map<Long, String> ch = new LinkedHashMap<>();
        for (int k = 0; k < choices.length; k += 2) ch.put(((Number) choices[k]).longValue(), (String) choices[k + 1]);
        TSignal s = new TSignal(signals.size(), name, current, start, len, signed, factor, offset, min, max, unit, ch);
        signals.add(s);
        current.signals.add(s);
        return this;
    }

    TestDbc initial(long raw) {
        signals.get(signals.size() - 1).initialRaw = raw;
        return this;
    }

    @Override public Signal signal(String name) {
        for (TSignal s : signals) if (s.name.equals(name) || (s.message.name + "." + s.name).equals(name)) return s;
        return null;
    }

    @Override public Message message(String name) { return messages.get(name); }

    @Override public int signalCount() { return signals.size(); }

    @Override public byte[] encode(Message message, Map<String, ?> values) throws DbcEncodeException {
        byte[] out = new byte[message.length()];
        for (Signal s0 : message.signals()) {
            TSignal s = (TSignal) s0;
            Object v = values.get(s.name);
            long raw;
            if (v == null) raw = s.initialRaw;
            else if (v instanceof String label) {
                Long r = null;
                for (Map.Entry<Long, String> e : s.choices.entrySet()) if (e.getValue().equals(label)) r = e.getKey();
                if (r == null) throw new DbcEncodeException(s.name + ": unknown label " + label);
                raw = r;
            } else {
                double phys = ((Number) v).doubleValue();
                if (phys < s.min || phys > s.max) throw new DbcEncodeException(s.name + ": " + phys + " out of range " + s.min + ".." + s.max);
                raw = Math.round((phys - s.offset) / s.factor);
            }
            for (int b = 0; b < s.len; b++) {
                int bit = s.start + b;
                if (((raw >> b) & 1) != 0) out[bit / 8] |= (byte) (1 << (bit % 8));
            }
        }
        return out;
    }

    /** A little-endian decoder over these messages (what the DBC engine does, for the replay tests). */
    FrameDecoder decoder() {
        return new FrameDecoder() {
            Message last;
            @Override public DecodeStatus decode(int frameId, boolean extended, byte[] data, int length, SignalSink sink) {
                last = null;
                for (TMessage m : messages.values()) if (m.id == frameId && m.isExtended() == extended) last = m;
                if (last == null) return DecodeStatus.UNKNOWN_ID;
                if (length != last.length()) return DecodeStatus.WRONG_LENGTH;
                for (Signal s0 : last.signals()) {
                    TSignal s = (TSignal) s0;
                    long raw = 0;
                    for (int b = 0; b < s.len; b++) {
                        int bit = s.start + b;
                        if ((data[bit / 8] >> (bit % 8) & 1) != 0) raw |= 1L << b;
                    }
                    if (s.signed && s.len < 64 && (raw >> (s.len - 1) & 1) != 0) raw -= 1L << s.len;
                    sink.signal(s, raw, s.toPhysical(raw));
                }
                return DecodeStatus.OK;
            }
            @Override public Message lastMessage() { return last; }
            @Override public String lastError() { return ""; }
        };
    }

    /** Physical value to raw and back, as the decoder would deliver it. */
    double quantize(String signal, double phys) {
        TSignal s = (TSignal) signal(signal);
        return Math.round((phys - s.offset) / s.factor) * s.factor + s.offset;
    }

    static final class TMessage implements Message {
        final int index;
        final String name;
        final int id;
        final int cycle;
        final List<Signal> signals = new ArrayList<>();
        TMessage(int index, String name, int id, int cycle) { this.index = index; this.name = name; this.id = id; this.cycle = cycle; }
        @Override public int index() { return index; }
        @Override public String name() { return name; }
        @Override public int frameId() { return id; }
        @Override public boolean isExtended() { return id > 0x7FF; }
        @Override public int length() { return 8; }
        @Override public boolean isFd() { return false; }
        @Override public int cycleTimeMs() { return cycle; }
        @Override public List<String> senders() { return List.of(); }
        @Override public List<Signal> signals() { return signals; }
        @Override public String comment() { return ""; }
    }

    static final class TSignal implements Signal {
        final int index;
        final String name;
        final TMessage message;
        final int start, len;
        final boolean signed;
        final double factor, offset, min, max;
        final String unit;
        final Map<Long, String> choices;
        long initialRaw;
        TSignal(int index, String name, TMessage message, int start, int len, boolean signed, double factor, double offset,
                double min, double max, String unit, Map<Long, String> choices) {
            this.index = index; this.name = name; this.message = message; this.start = start; this.len = len;
            this.signed = signed; this.factor = factor; this.offset = offset; this.min = min; this.max = max;
            this.unit = unit; this.choices = choices;
        }
        @Override public int index() { return index; }
        @Override public String name() { return name; }
        @Override public Message message() { return message; }
        @Override public int startBit() { return start; }
        @Override public int length() { return len; }
        @Override public ByteOrder byteOrder() { return ByteOrder.LITTLE_ENDIAN; }
        @Override public boolean isSigned() { return signed; }
        @Override public ValueType valueType() { return ValueType.INTEGER; }
        @Override public double factor() { return factor; }
        @Override public double offset() { return offset; }
        @Override public double minimum() { return min; }
        @Override public double maximum() { return max; }
        @Override public String unit() { return unit; }
        @Override public List<String> receivers() { return List.of(); }
        @Override public Map<Long, String> choices() { return choices; }
        @Override public String label(long raw) { return choices.get(raw); }
        @Override public boolean isMultiplexer() { return false; }
        @Override public List<Long> multiplexerIds() { return List.of(); }
        @Override public String comment() { return ""; }
        @Override public long initialRaw() { return initialRaw; }
        @Override public double toPhysical(long raw) { return raw * factor + offset; }
    }
}
