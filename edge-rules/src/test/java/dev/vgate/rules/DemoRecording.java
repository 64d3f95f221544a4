package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a candump -L recording of the demo vehicle (vgate-demo.dbc) from a model of its signals: every
 * 10 ms the model sets the physical values it wants, and every message goes out at its DBC cycle time,
 * encoded by the DBC engine (BMS_CellData cycles through its multiplexer groups 0, 1, 2). Values the model
 * never sets are normal resting values (25 degC, parked, 50 % SoC, idle charger, the depot's position).
 */
final class DemoRecording {
    interface Model { void at(long ms, Map<String, Double> v); }

    private final DbcDatabase db;
    private final StringBuilder log = new StringBuilder();
    private final Map<String, Double> values = new HashMap<>();
    private final Map<Message, Long> nextDue = new HashMap<>();
    private int cellGroup;
    private static final long EPOCH_NS = 1_767_225_600L * 1_000_000_000L;
    long frames;

    DemoRecording(DbcDatabase db) {
        this.db = db;
        values.putAll(Map.ofEntries(Map.entry("BMS_Temp", 25.0), Map.entry("BMS_TempMin", 24.0), Map.entry("BMS_TempMax", 26.0),
                Map.entry("CoolantTemp", 25.0), Map.entry("CoolantPumpDuty", 40.0), Map.entry("SoC", 50.0),
                Map.entry("PackVoltage", 380.0), Map.entry("GearPosition", 0.0), Map.entry("ChargeState", 0.0),
                Map.entry("MotorTemp", 40.0), Map.entry("InverterTemp", 40.0), Map.entry("CellTempMax", 26.0), Map.entry("CellTempMin", 24.0),
                Map.entry("Latitude", 48.1351), Map.entry("Longitude", 11.5820)));
        for (int k = 0; k < 8; k++) values.put("CellVoltage" + k, 3.70);
    }

    /** Runs the model from {@code fromMs} to {@code toMs} (exclusive) and appends the frames. */
    DemoRecording run(long fromMs, long toMs, Model model) throws Exception {
        CanFrame f = new CanFrame();
        for (long t = fromMs; t < toMs; t += 10) {
            model.at(t, values);
            for (Message m : db.messages()) {
                int cycle = m.cycleTimeMs();
                if (cycle <= 0 || m.name().endsWith("_Command")) continue; // commands are what vgate sends
                long due = nextDue.getOrDefault(m, fromMs);
                if (t < due) continue;
                nextDue.put(m, t + cycle);
                Map<String, Object> enc = new LinkedHashMap<>();
                boolean mux = m.name().equals("BMS_CellData");
                if (mux) enc.put("CellGroup", cellGroup);
                for (Signal s : m.signals()) {
                    if (s.isMultiplexer()) continue;
                    if (mux && !s.multiplexerIds().contains((long) cellGroup)) continue;
                    if (s.name().equals("BalancingMask")) continue;
                    Double v = values.get(s.name());
                    if (v != null) enc.put(s.name(), v);
                }
                if (mux) cellGroup = (cellGroup + 1) % 3;
                byte[] payload = db.encoder().encode(m, enc);
                int flags = (m.isExtended() ? CanFrame.FLAG_EXTENDED : 0) | (m.isFd() ? CanFrame.FLAG_FD : 0);
                f.id(m.frameId()).flags(flags).data(payload, 0, payload.length).iface("can0").timestampNanos(EPOCH_NS + t * 1_000_000L);
                CandumpFormat.appendLogLine(f, log).append('\n');
                frames++;
            }
        }
        return this;
    }

    String text() { return log.toString(); }

    static long epochMs(long ms) { return EPOCH_NS / 1_000_000L + ms; }
}
