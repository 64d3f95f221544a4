package dev.vgate.diag.uds;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One data identifier (ISO 14229-1 DID) and how to show its bytes.
 *
 * @param id     the 16-bit DID
 * @param name   a short name (snake_case), used in output and telemetry
 * @param length bytes of its value, or -1 when variable (only as the last DID of an answer)
 * @param type   how the bytes read: ASCII text, HEX bytes or an UNSIGNED big-endian number
 * @param factor for UNSIGNED: physical = raw * factor + offset
 * @param offset for UNSIGNED
 * @param unit   for UNSIGNED, may be empty
 */
public record Did(int id, String name, int length, Type type, double factor, double offset, String unit) {
    public enum Type { ASCII, HEX, UNSIGNED }

    public Did {
        if (id < 0 || id > 0xFFFF) throw new IllegalArgumentException("DID must be 16 bits, got 0x" + Integer.toHexString(id));
        if (name == null || name.isBlank()) throw new IllegalArgumentException("DID 0x" + Integer.toHexString(id) + " needs a name");
        if (length == 0 || length < -1) throw new IllegalArgumentException("DID " + name + ": length must be positive or -1 (variable)");
        if (type == Type.UNSIGNED && (length < 1 || length > 8)) throw new IllegalArgumentException("DID " + name + ": an unsigned value has 1 to 8 bytes");
        if (unit == null) unit = "";
    }

    public static Did ascii(int id, String name, int length) { return new Did(id, name, length, Type.ASCII, 1, 0, ""); }

    public static Did hex(int id, String name, int length) { return new Did(id, name, length, Type.HEX, 1, 0, ""); }

    /** The value as text: the ASCII string, the scaled number with its unit, or hex. */
    public String format(byte[] value) {
        return switch (type) {
            case ASCII -> new String(value, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
            case HEX -> HexFormat.of().withUpperCase().formatHex(value);
            case UNSIGNED -> {
                double v = unsigned(value) * factor + offset;
                String num = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
                yield unit.isEmpty() ? num : num + " " + unit;
            }
        };
    }

    /** The value as a number (UNSIGNED: scaled; otherwise the big-endian bytes, first 8). */
    public double numeric(byte[] value) {
        return type == Type.UNSIGNED ? unsigned(value) * factor + offset : unsigned(value);
    }

    static long unsigned(byte[] b) {
        long v = 0;
        for (int i = 0; i < Math.min(8, b.length); i++) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }
}
