package dev.vgate.diag.obd;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SAE J1979 mode 01 PID whose value is linear in its data bytes (A, B, ... big-endian): physical =
 * raw * factor + offset. That holds for the standard PIDs vgate decodes (RPM = (256A+B)/4, speed = A,
 * coolant = A-40, fuel level = 100A/255, MAF = (256A+B)/100, module voltage = (256A+B)/1000, ...).
 */
public record ObdPid(int pid, String name, String unit, int bytes, double factor, double offset) {
    private static final Map<Integer, ObdPid> TABLE = new TreeMap<>();
    private static final double PCT = 100.0 / 255.0;

    static {
        add(0x04, "engine_load", "%", 1, PCT, 0);
        add(0x05, "coolant_temp", "degC", 1, 1, -40);
        add(0x06, "short_fuel_trim_bank1", "%", 1, 100.0 / 128, -100);
        add(0x07, "long_fuel_trim_bank1", "%", 1, 100.0 / 128, -100);
        add(0x08, "short_fuel_trim_bank2", "%", 1, 100.0 / 128, -100);
        add(0x09, "long_fuel_trim_bank2", "%", 1, 100.0 / 128, -100);
        add(0x0A, "fuel_pressure", "kPa", 1, 3, 0);
        add(0x0B, "intake_map", "kPa", 1, 1, 0);
        add(0x0C, "engine_rpm", "rpm", 2, 0.25, 0);
        add(0x0D, "vehicle_speed", "km/h", 1, 1, 0);
        add(0x0E, "timing_advance", "deg", 1, 0.5, -64);
        add(0x0F, "intake_air_temp", "degC", 1, 1, -40);
        add(0x10, "maf_rate", "g/s", 2, 0.01, 0);
        add(0x11, "throttle_position", "%", 1, PCT, 0);
        add(0x1F, "run_time", "s", 2, 1, 0);
        add(0x21, "distance_with_mil", "km", 2, 1, 0);
        add(0x22, "fuel_rail_pressure", "kPa", 2, 0.079, 0);
        add(0x23, "fuel_rail_gauge_pressure", "kPa", 2, 10, 0);
        add(0x2C, "commanded_egr", "%", 1, PCT, 0);
        add(0x2F, "fuel_level", "%", 1, PCT, 0);
        add(0x30, "warmups_since_clear", "count", 1, 1, 0);
        add(0x31, "distance_since_clear", "km", 2, 1, 0);
        add(0x33, "baro_pressure", "kPa", 1, 1, 0);
        add(0x42, "control_module_voltage", "V", 2, 0.001, 0);
        add(0x43, "absolute_load", "%", 2, PCT, 0);
        add(0x44, "commanded_equivalence_ratio", "ratio", 2, 2.0 / 65536, 0);
        add(0x45, "relative_throttle", "%", 1, PCT, 0);
        add(0x46, "ambient_air_temp", "degC", 1, 1, -40);
        add(0x47, "throttle_position_b", "%", 1, PCT, 0);
        add(0x49, "accel_pedal_d", "%", 1, PCT, 0);
        add(0x4A, "accel_pedal_e", "%", 1, PCT, 0);
        add(0x4C, "commanded_throttle", "%", 1, PCT, 0);
        add(0x4D, "time_with_mil", "min", 2, 1, 0);
        add(0x4E, "time_since_clear", "min", 2, 1, 0);
        add(0x51, "fuel_type", "", 1, 1, 0);
        add(0x52, "ethanol_percent", "%", 1, PCT, 0);
        add(0x5A, "relative_accel_pedal", "%", 1, PCT, 0);
        add(0x5B, "hybrid_battery_remaining", "%", 1, PCT, 0);
        add(0x5C, "oil_temp", "degC", 1, 1, -40);
        add(0x5E, "fuel_rate", "L/h", 2, 0.05, 0);
        add(0xA6, "odometer", "km", 4, 0.1, 0);
    }

    private static void add(int pid, String name, String unit, int bytes, double factor, double offset) {
        TABLE.put(pid, new ObdPid(pid, name, unit, bytes, factor, offset));
    }

    /** The PID's definition, or null when vgate has no formula for it. */
    public static ObdPid of(int pid) { return TABLE.get(pid); }

    public static Collection<ObdPid> all() { return TABLE.values(); }

    /** Whether {@code pid} is one of the supported-PID bitmaps (00, 20, 40, ... E0). */
    public static boolean isSupportBitmap(int pid) { return (pid & 0x1F) == 0; }

    /** The physical value of the data bytes (A at {@code off}). */
    public double decode(byte[] data, int off) {
        long raw = 0;
        for (int i = 0; i < bytes; i++) raw = (raw << 8) | (data[off + i] & 0xFF);
        return raw * factor + offset;
    }

    /** "1726.5", "88", "-12.5": the value with up to the digits its factor gives. */
    public String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e12) return Long.toString((long) value);
        String s = String.format(Locale.ROOT, "%.3f", value);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
