package dev.vgate.diag.obd;

import java.util.List;
import java.util.Locale;

/**
 * OBD-II PIDs as a DBC, so that polled values take the same path as CAN signals (decoder, edge rules,
 * telemetry, last-known values): one message per PID, its id the PID number, its data the answer's data
 * bytes (A, B, ...), one big-endian signal carrying the J1979 formula as factor and offset.
 */
public final class ObdDbc {
    private ObdDbc() {}

    public static String text(List<Integer> pids) {
        StringBuilder sb = new StringBuilder("VERSION \"vgate-obd\"\n\nNS_ :\n\nBS_:\n\nBU_: ECU\n\n");
        for (int pid : pids) {
            ObdPid p = ObdPid.of(pid);
            if (p == null) throw new IllegalArgumentException(String.format("PID %02X has no formula", pid));
            int bits = p.bytes() * 8;
            double max = ((1L << bits) - 1) * p.factor() + p.offset();
            sb.append(String.format(Locale.ROOT, "BO_ %d OBD_%02X: %d ECU\n", pid, pid, p.bytes()));
            sb.append(String.format(Locale.ROOT, " SG_ %s : 7|%d@0+ (%s,%s) [%s|%s] \"%s\" Vector__XXX\n\n", p.name(), bits,
                    num(p.factor()), num(p.offset()), num(p.offset()), num(max), p.unit()));
        }
        return sb.toString();
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
