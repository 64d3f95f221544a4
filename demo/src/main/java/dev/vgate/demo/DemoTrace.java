package dev.vgate.demo;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcEncodeException;
import dev.vgate.dbc.DbcException;
import dev.vgate.dbc.FrameEncoder;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deterministic CAN trace of the demo EV (vgate-demo.dbc): standby, a drive through town and on the
 * highway, plug-in, a DC fast charge, charge complete. Each message goes out at its DBC cycle time
 * (GenMsgCycleTime) with a fixed per-message offset, encoded through the DBC encoder, so the same options
 * always give the same frames. The model is {@link DemoVehicle}.
 *
 * <p>Stable API (used by {@code vgate demo} and by tests; keep it source compatible):
 * <ul>
 *   <li>{@link Options} {@code (seed, startEpochNanos, length, iface, overheat)} and {@link Options#defaults()};</li>
 *   <li>{@link #DemoTrace(DbcDatabase, Options)} with the database from {@code DemoDbc.load()};</li>
 *   <li>{@link #frames()}: all frames in time order, and {@link #generate(Consumer)} to stream them.</li>
 * </ul>
 * Guarantees (tested in DemoTraceTest): every frame decodes with the demo DBC; values stay inside the DBC's
 * [min|max] and the model's physical ranges; timestamps never go backwards; the phases are fixed fractions of
 * the length (standby 0-1 %, drive 1-50 %, plug-in 50-53 %, charging 53-97 %, complete 97-100 %); with
 * {@code overheat} the coolant pump fails at 65 % and BMS_Temp passes 60 °C at about 76 % of any length.
 */
public final class DemoTrace {
    public static final long DEFAULT_SEED = 2026L;
    /** 2026-01-01T00:00:00Z. */
    public static final long DEFAULT_START_NANOS = 1_767_225_600L * 1_000_000_000L;
    public static final Duration DEFAULT_LENGTH = Duration.ofMinutes(10);
    private static final int TICK_MS = 10;

    /**
     * @param overheat if true the pack's coolant pump fails during the charge and BMS_Temp climbs past 60 °C
     *                 (for demonstrating a thermal cutoff rule); otherwise it stays in the normal 20-45 °C band
     */
    public record Options(long seed, long startEpochNanos, Duration length, String iface, boolean overheat) {
        public Options {
            if (length.toMillis() < 10_000) throw new IllegalArgumentException("demo trace length must be at least 10 s, got " + length);
        }

        public static Options defaults() {
            return new Options(DEFAULT_SEED, DEFAULT_START_NANOS, DEFAULT_LENGTH, "can0", false);
        }
    }

    /** One periodic message of the trace. */
    private record Periodic(Message message, int cycleMs, int offsetMicros) {}

    private final DbcDatabase db;
    private final Options options;
    private final FrameEncoder encoder;
    private final List<Periodic> schedule = new ArrayList<>();

    public DemoTrace(DbcDatabase demoDbc, Options options) throws DbcException {
        this.db = demoDbc;
        this.options = options;
        this.encoder = demoDbc.encoder();
        String[] names = {"Motor_Status", "Vehicle_Dynamics", "BMS_Status", "BMS_Thermal", "Charger_Status", "Body_Status",
                "BMS_CellData", "GPS_Position"};
        for (int k = 0; k < names.length; k++) {
            Message m = demoDbc.messageByName(names[k]);
            if (m == null) throw new DbcException("the demo trace needs message " + names[k] + ", which " + demoDbc.source() + " lacks");
            int cycle = m.cycleTimeMs() > 0 ? m.cycleTimeMs() : 100;
            schedule.add(new Periodic(m, Math.max(TICK_MS, cycle / TICK_MS * TICK_MS), 150 + 430 * k));
        }
    }

    /** All frames, in time order. */
    public List<CanFrame> frames() throws DbcEncodeException {
        List<CanFrame> out = new ArrayList<>();
        generate(f -> out.add(f.copy()));
        return out;
    }

    /** Emits the frames in time order; the frame passed is reused, copy it to keep it. */
    public void generate(Consumer<CanFrame> out) throws DbcEncodeException {
        long totalMs = options.length().toMillis();
        DemoVehicle car = new DemoVehicle(options.seed(), totalMs / 1000.0, options.overheat());
        CanFrame frame = new CanFrame().iface(options.iface());
        Map<String, Object> values = new HashMap<>();
        int bmsCounter = 0;
        for (long ms = 0; ms < totalMs; ms += TICK_MS) {
            car.step(TICK_MS / 1000.0);
            for (Periodic p : schedule) {
                if (ms % p.cycleMs() != 0) continue;
                long t = options.startEpochNanos() + ms * 1_000_000L + p.offsetMicros() * 1000L;
                String name = p.message().name();
                if (name.equals("BMS_CellData")) {
                    for (int group = 0; group < 3; group++) {
                        values.clear();
                        cellData(car, group, values);
                        emit(p.message(), values, t + group * 100_000L, frame, out); // back to back, 100 µs apart, before the next message
                    }
                    continue;
                }
                values.clear();
                switch (name) {
                    case "BMS_Status" -> bmsStatus(car, bmsCounter++ & 0xF, values);
                    case "BMS_Thermal" -> bmsThermal(car, values);
                    case "Motor_Status" -> motorStatus(car, values);
                    case "Vehicle_Dynamics" -> dynamics(car, values);
                    case "Charger_Status" -> charger(car, values);
                    case "Body_Status" -> body(car, values);
                    case "GPS_Position" -> {
                        values.put("Latitude", car.latitude);
                        values.put("Longitude", car.longitude);
                    }
                    default -> throw new IllegalStateException("no generator for " + name);
                }
                emit(p.message(), values, t, frame, out);
            }
        }
    }

    private void emit(Message m, Map<String, Object> values, long t, CanFrame frame, Consumer<CanFrame> out) throws DbcEncodeException {
        clampToDbcRanges(m, values);
        byte[] data = encoder.encode(m, values);
        if (m.name().equals("BMS_Status")) {
            // BMS_Checksum (bits 60..63): low nibble of the sum of bytes 0..6, a typical E2E-style check
            int sum = 0;
            for (int k = 0; k < 7; k++) sum += data[k] & 0xFF;
            data[7] = (byte) ((data[7] & 0x0F) | ((sum & 0xF) << 4));
        }
        int flags = (m.isExtended() ? CanFrame.FLAG_EXTENDED : 0) | (m.isFd() ? CanFrame.FLAG_FD | CanFrame.FLAG_BRS : 0);
        frame.id(m.frameId()).flags(flags).timestampNanos(t).data(data);
        out.accept(frame);
    }

    /** Noise or a model excursion must not make the encoder refuse a value: clamp to the DBC's [min|max]. */
    private static void clampToDbcRanges(Message m, Map<String, Object> values) {
        for (Signal s : m.signals()) {
            Object v = values.get(s.name());
            if (v instanceof Double d && (s.minimum() != 0 || s.maximum() != 0)) {
                values.put(s.name(), Math.max(s.minimum(), Math.min(s.maximum(), d)));
            }
        }
    }

    private static String bmsState(DemoVehicle car) {
        return switch (car.phase) {
            case STANDBY, PLUG_IN, COMPLETE -> "STANDBY";
            case DRIVE -> "DRIVE";
            case CHARGING -> "CHARGING";
        };
    }

    private static void bmsStatus(DemoVehicle car, int counter, Map<String, Object> v) {
        v.put("PackVoltage", car.packVoltageV);
        v.put("PackCurrent", car.packCurrentA);
        v.put("SoC", car.soc * 100);
        v.put("BMS_State", bmsState(car));
        v.put("ContactorState", car.phase == DemoVehicle.Phase.DRIVE || car.phase == DemoVehicle.Phase.CHARGING ? 1 : 0);
        v.put("BMS_Counter", counter);
    }

    private static void bmsThermal(DemoVehicle car, Map<String, Object> v) {
        v.put("BMS_Temp", car.batteryTempC);
        v.put("BMS_TempMin", (double) Math.round(car.batteryTempC - 2.5));
        v.put("BMS_TempMax", (double) Math.round(car.batteryTempC + 1.5));
        v.put("CoolantTemp", (double) Math.round(car.coolantTempC));
        v.put("CoolantPumpDuty", car.coolantPumpFailed() ? 0 : car.phase == DemoVehicle.Phase.CHARGING ? 80 : car.phase == DemoVehicle.Phase.DRIVE ? 35 : 10);
    }

    private static void cellData(DemoVehicle car, int group, Map<String, Object> v) {
        v.put("CellGroup", group);
        double cell = car.packVoltageV / 96;
        if (group < 2) {
            for (int k = 0; k < 4; k++) v.put("CellVoltage" + (group * 4 + k), cell + 0.004 * Math.sin(group * 4 + k + car.t / 30));
        } else {
            v.put("CellTempMax", (double) Math.round(car.batteryTempC + 2));
            v.put("CellTempMin", (double) Math.round(car.batteryTempC - 3));
            v.put("BalancingMask", car.soc > 0.75 ? 0x0000_0F00_0000_00F0L : 0L);
        }
    }

    private static void motorStatus(DemoVehicle car, Map<String, Object> v) {
        v.put("MotorSpeed", (double) Math.round(car.motorRpm));
        v.put("MotorTorque", car.torqueNm);
        v.put("InverterTemp", (double) Math.round(car.inverterTempC));
        v.put("MotorTemp", (double) Math.round(car.motorTempC));
        v.put("MotorMode", car.motorRpm < 1 ? "OFF" : car.torqueNm < 0 ? "REGEN" : "DRIVE");
    }

    private static void dynamics(DemoVehicle car, Map<String, Object> v) {
        v.put("VehicleSpeed", car.speedKmh);
        v.put("LongAccel", car.accel);
        v.put("BrakePressure", car.brakeBar);
        v.put("BrakePedal", car.brakePedal ? 1 : 0);
        v.put("GearPosition", car.phase == DemoVehicle.Phase.DRIVE ? "D" : "P");
    }

    private static void charger(DemoVehicle car, Map<String, Object> v) {
        v.put("ChargePower", car.chargePowerKw);
        v.put("ChargeState", switch (car.phase) {
            case STANDBY, DRIVE -> "IDLE";
            case PLUG_IN -> "CONNECTED";
            case CHARGING -> "CHARGING";
            case COMPLETE -> "COMPLETE";
        });
        v.put("ChargerTemp", (double) Math.round(car.chargerTempC));
        v.put("ChargeEnergy", car.chargeEnergyKwh);
    }

    private static void body(DemoVehicle car, Map<String, Object> v) {
        v.put("DoorLockState", car.phase == DemoVehicle.Phase.DRIVE ? 1 : 2);
        v.put("LightsState", 0);
        v.put("CabinTemp", 21.5);
    }
}
