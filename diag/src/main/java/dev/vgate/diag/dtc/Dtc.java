package dev.vgate.diag.dtc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One diagnostic trouble code as an ECU reports it: the 3-byte UDS DTC (ISO 14229-1 / SAE J2012 format:
 * two bytes of code, one failure-type byte) and its status byte. OBD-II (J1979) DTCs are the same two
 * code bytes without a failure type.
 *
 * @param code   24-bit DTC: high 16 bits the J2012 code, low 8 bits the failure type byte (FTB)
 * @param status the ISO 14229-1 status byte (bit names in {@link #STATUS_BITS})
 */
public record Dtc(int code, int status) implements Comparable<Dtc> {
    private static final char[] SYSTEM = {'P', 'C', 'B', 'U'};

    /** ISO 14229-1 DTC status bits, bit 0 first. */
    public static final List<String> STATUS_BITS = List.of(
            "testFailed", "testFailedThisOperationCycle", "pendingDTC", "confirmedDTC",
            "testNotCompletedSinceLastClear", "testFailedSinceLastClear", "testNotCompletedThisOperationCycle",
            "warningIndicatorRequested");

    public Dtc {
        if (code < 0 || code > 0xFFFFFF) throw new IllegalArgumentException("DTC must be 3 bytes, got 0x" + Integer.toHexString(code));
        if (status < 0 || status > 0xFF) throw new IllegalArgumentException("DTC status must be a byte");
    }

    /** An OBD-II DTC from its two bytes (J1979 mode 03/07/0A). */
    public static Dtc ofObd(int a, int b, int status) {
        return new Dtc(((a & 0xFF) << 16) | ((b & 0xFF) << 8), status);
    }

    /** The code as a workshop writes it: P0A7E, C1234, B0001, U0100. */
    public String text() {
        return format(code >> 8);
    }

    /** The failure type byte (0 for OBD-II codes). */
    public int failureType() { return code & 0xFF; }

    /** The J2012 text of a 16-bit code. */
    public static String format(int code16) {
        return SYSTEM[(code16 >> 14) & 3] + String.format(Locale.ROOT, "%X%03X", (code16 >> 12) & 3, code16 & 0xFFF);
    }

    /** Parses "P0A7E" (a 16-bit code, FTB 0) or "P0A7E-1C" (with failure type), or 6 hex digits. */
    public static int parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.matches("[PCBU][0-3][0-9A-F]{3}(-[0-9A-F]{2})?")) {
            int sys = "PCBU".indexOf(t.charAt(0));
            int v = (sys << 14) | (Character.digit(t.charAt(1), 16) << 12) | Integer.parseInt(t.substring(2, 5), 16);
            int ftb = t.length() > 5 ? Integer.parseInt(t.substring(6), 16) : 0;
            return (v << 8) | ftb;
        }
        if (t.matches("(0X)?[0-9A-F]{6}")) return Integer.parseInt(t.replace("0X", ""), 16);
        throw new IllegalArgumentException("not a DTC: '" + text + "' (expected e.g. P0A7E, U0100-00 or 0A7E00)");
    }

    /** The names of the set status bits. */
    public List<String> statusNames() {
        return statusNames(status);
    }

    public static List<String> statusNames(int status) {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < 8; b++) if ((status & (1 << b)) != 0) names.add(STATUS_BITS.get(b));
        return names;
    }

    /** One line as {@code vgate diag dtc read} prints it: {@code P0A7E status=0x2F testFailed,...} (and the FTB when set). */
    public String line() {
        StringBuilder sb = new StringBuilder(text()).append(String.format(Locale.ROOT, " status=0x%02X", status));
        List<String> names = statusNames();
        sb.append(' ').append(names.isEmpty() ? "-" : String.join(",", names));
        if (failureType() != 0) sb.append(String.format(Locale.ROOT, " ftb=0x%02X", failureType()));
        return sb.toString();
    }

    @Override public int compareTo(Dtc o) { return Integer.compare(code, o.code); }

    @Override public String toString() { return line(); }
}
