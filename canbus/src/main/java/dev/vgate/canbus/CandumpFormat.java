package dev.vgate.canbus;

/**
 * The one-line frame syntax of can-utils: {@code candump -L} log lines
 * {@code (1700000000.123456) can0 123#DEADBEEF} and {@code cansend} frames {@code 123#DEADBEEF},
 * {@code 1ABCDEF0#01}, {@code 7FF##1AABB} (CAN FD, flags nibble first), {@code 123#R} (RTR).
 * An 8-digit id with bit 29 set is an error frame, as candump writes it.
 * A timestamp may be negative ({@code (-0.364210)}, a logger clock before 1970): the '-' applies to the
 * whole decimal number, as python-can reads and writes it.
 */
public final class CandumpFormat {
    private static final int ERR_FLAG = 0x20000000;
    private static final int EFF_MASK = 0x1FFFFFFF;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Whole seconds whose nanoseconds, plus any fraction, still fit a long (up to the year 2262). */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

    private CandumpFormat() {}

    /** Parses a full log line (timestamp, interface, frame) into {@code into}. */
    public static CanFrame parseLogLine(CharSequence line, CanFrame into) throws CandumpParseException {
        int n = line.length();
        int i = 0;
        if (n == 0 || line.charAt(0) != '(') throw new CandumpParseException("expected '(' to open the timestamp");
        i = 1;
        // A clock before 1970 (an unsynchronised logger) gives a negative stamp. The sign belongs to the whole
        // decimal number, as python-can reads and writes it: "(-0.364210)" is -0.364210 s, "(-1.500000)" -1.5 s.
        boolean negative = i < n && line.charAt(i) == '-';
        if (negative && (++i >= n || !isDigit(line.charAt(i)))) throw new CandumpParseException("expected digits after the '-' of a negative timestamp");
        long sec = 0;
        int digits = 0;
        while (i < n && isDigit(line.charAt(i))) {
            if (++digits > 12) throw new CandumpParseException("timestamp seconds too long");
            sec = sec * 10 + (line.charAt(i++) - '0');
        }
        if (digits == 0 || i >= n || line.charAt(i) != '.') throw new CandumpParseException("expected timestamp as (seconds.fraction)");
        i++;
        long frac = 0;
        int fracDigits = 0;
        while (i < n && isDigit(line.charAt(i))) {
            if (fracDigits < 9) { frac = frac * 10 + (line.charAt(i) - '0'); fracDigits++; }
            i++;
        }
        if (fracDigits == 0 || i >= n || line.charAt(i) != ')') throw new CandumpParseException("expected timestamp as (seconds.fraction)");
        for (int k = fracDigits; k < 9; k++) frac *= 10;
        if (sec > MAX_SECONDS) throw new CandumpParseException("timestamp " + (negative ? "-" : "") + sec + " s is out of range (at most " + MAX_SECONDS + " s either side of 1970)");
        long nanos = negative ? -(sec * 1_000_000_000L + frac) : sec * 1_000_000_000L + frac;
        i++;
        int ifaceStart = skipSpaces(line, i);
        int ifaceEnd = ifaceStart;
        while (ifaceEnd < n && !Character.isWhitespace(line.charAt(ifaceEnd))) ifaceEnd++;
        if (ifaceEnd == ifaceStart) throw new CandumpParseException("expected an interface name after the timestamp");
        int frameStart = skipSpaces(line, ifaceEnd);
        int frameEnd = frameStart;
        while (frameEnd < n && !Character.isWhitespace(line.charAt(frameEnd))) frameEnd++;
        if (frameEnd == frameStart) throw new CandumpParseException("expected a frame after the interface name");
        // anything after the frame (candump -x direction marks "R"/"T") is ignored
        parseFrame(line, frameStart, frameEnd, into);
        into.timestampNanos(nanos);
        into.iface(internIface(line, ifaceStart, ifaceEnd, into.iface()));
        return into;
    }

    /** Parses a frame in cansend syntax ({@code ID#DATA}, {@code ID##FDATA}, {@code ID#R}). */
    public static CanFrame parseFrame(CharSequence s, CanFrame into) throws CandumpParseException {
        return parseFrame(s, 0, s.length(), into);
    }

    private static CanFrame parseFrame(CharSequence s, int start, int end, CanFrame into) throws CandumpParseException {
        int hash = -1;
        for (int k = start; k < end; k++) if (s.charAt(k) == '#') { hash = k; break; }
        if (hash < 0) throw new CandumpParseException("expected '#' between id and data");
        int idDigits = hash - start;
        if (idDigits != 3 && idDigits != 8) throw new CandumpParseException("expected a 3-digit (11-bit) or 8-digit (29-bit) hex id, found " + idDigits + " digits");
        long idv = 0;
        for (int k = start; k < hash; k++) idv = (idv << 4) | hex(s.charAt(k));
        int flags = 0;
        int id;
        if (idDigits == 3) {
            if (idv > 0x7FF) throw new CandumpParseException("11-bit id " + Long.toHexString(idv).toUpperCase() + " above 7FF");
            id = (int) idv;
        } else if ((idv & ERR_FLAG) != 0) {
            flags |= CanFrame.FLAG_ERROR;
            id = (int) (idv & EFF_MASK);
        } else {
            if (idv > EFF_MASK) throw new CandumpParseException("29-bit id " + Long.toHexString(idv).toUpperCase() + " above 1FFFFFFF");
            flags |= CanFrame.FLAG_EXTENDED;
            id = (int) idv;
        }
        int p = hash + 1;
        byte[] data = into.data();
        int len = 0;
        if (p < end && s.charAt(p) == '#') {
            // CAN FD: one hex digit of flags, then up to 64 data bytes
            p++;
            if (p >= end) throw new CandumpParseException("expected the CAN FD flags nibble after '##'");
            int fdFlags = hex(s.charAt(p++));
            flags |= CanFrame.FLAG_FD;
            if ((fdFlags & 1) != 0) flags |= CanFrame.FLAG_BRS;
            if ((fdFlags & 2) != 0) flags |= CanFrame.FLAG_ESI;
            if ((fdFlags & 4) != 0) flags |= CanFrame.FLAG_FDF;
            len = parseData(s, p, end, data, CanFrame.MAX_FD_DATA);
            if (!isFdLength(len)) throw new CandumpParseException("CAN FD data length " + len + " is not a valid FD length (0-8, 12, 16, 20, 24, 32, 48, 64)");
        } else if (p < end && (s.charAt(p) == 'R' || s.charAt(p) == 'r')) {
            flags |= CanFrame.FLAG_RTR;
            p++;
            if (p < end) {
                int dlc = hex(s.charAt(p++));
                if (dlc > 8) throw new CandumpParseException("RTR length " + dlc + " above 8");
                len = dlc;
            }
            if (p != end) throw new CandumpParseException("unexpected characters after RTR length");
        } else {
            len = parseData(s, p, end, data, CanFrame.MAX_CLASSIC_DATA);
        }
        into.id(id).flags(flags).length(len);
        if ((flags & CanFrame.FLAG_RTR) != 0) java.util.Arrays.fill(data, 0, CanFrame.MAX_FD_DATA, (byte) 0);
        else java.util.Arrays.fill(data, len, CanFrame.MAX_FD_DATA, (byte) 0);
        return into;
    }

    private static int parseData(CharSequence s, int p, int end, byte[] data, int max) throws CandumpParseException {
        int len = 0;
        while (p < end) {
            char c = s.charAt(p);
            if (c == '.') { p++; continue; }
            if (c == '_') break; // classic len8_dlc suffix ("_9"): the payload is already complete
            if (p + 1 >= end) throw new CandumpParseException("odd number of hex digits in data");
            if (len == max) throw new CandumpParseException("more than " + max + " data bytes");
            data[len++] = (byte) ((hex(c) << 4) | hex(s.charAt(p + 1)));
            p += 2;
        }
        return len;
    }

    static boolean isFdLength(int len) {
        return len <= 8 || len == 12 || len == 16 || len == 20 || len == 24 || len == 32 || len == 48 || len == 64;
    }

    /** Formats a frame as a candump -L line. */
    public static String format(CanFrame f) {
        StringBuilder sb = new StringBuilder(40 + 2 * f.length());
        appendLogLine(f, sb);
        return sb.toString();
    }

    public static StringBuilder appendLogLine(CanFrame f, StringBuilder sb) {
        sb.append('(');
        appendSeconds(f.timestampNanos(), sb).append(") ").append(f.iface()).append(' ');
        return appendFrame(f, sb);
    }

    /**
     * Appends a timestamp as candump does, seconds and six digits of microseconds ({@code 1700000000.123456}),
     * with a leading '-' on the whole number when it is negative ({@code -0.364210}: not candump's
     * {@code -1.635790} timeval form), so that {@link #parseLogLine} reads back the same microsecond.
     * Nanoseconds below the microsecond are dropped (towards zero).
     */
    public static StringBuilder appendSeconds(long nanos, StringBuilder sb) {
        long sec = Math.abs(nanos / 1_000_000_000L);
        long usec = Math.abs(nanos % 1_000_000_000L) / 1000;
        if (nanos < 0 && (sec != 0 || usec != 0)) sb.append('-');
        sb.append(sec).append('.');
        for (long p = 100_000; p > 1 && usec < p; p /= 10) sb.append('0');
        return sb.append(usec);
    }

    /** Formats a frame in cansend syntax (no timestamp or interface). */
    public static StringBuilder appendFrame(CanFrame f, StringBuilder sb) {
        if (f.isError()) appendHex(sb, f.id() | ERR_FLAG, 8);
        else if (f.isExtended()) appendHex(sb, f.id(), 8);
        else appendHex(sb, f.id(), 3);
        sb.append('#');
        if (f.isFd()) {
            int nib = ((f.flags() & CanFrame.FLAG_BRS) != 0 ? 1 : 0) | ((f.flags() & CanFrame.FLAG_ESI) != 0 ? 2 : 0)
                    | ((f.flags() & CanFrame.FLAG_FDF) != 0 ? 4 : 0);
            sb.append('#').append(HEX[nib]);
        } else if (f.isRemote()) {
            sb.append('R');
            if (f.length() > 0) sb.append(HEX[f.length() & 0xF]);
            return sb;
        }
        byte[] d = f.data();
        for (int k = 0; k < f.length(); k++) sb.append(HEX[(d[k] >> 4) & 0xF]).append(HEX[d[k] & 0xF]);
        return sb;
    }

    private static void appendHex(StringBuilder sb, int v, int digits) {
        for (int k = digits - 1; k >= 0; k--) sb.append(HEX[(v >>> (4 * k)) & 0xF]);
    }

    private static int hex(char c) throws CandumpParseException {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        throw new CandumpParseException("expected a hex digit, found '" + c + "'");
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static int skipSpaces(CharSequence s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** Reuses the previous interface name when it is the same, so a log of one bus allocates no strings for it. */
    private static String internIface(CharSequence s, int start, int end, String previous) {
        int len = end - start;
        if (previous != null && previous.length() == len) {
            boolean same = true;
            for (int k = 0; k < len && same; k++) same = previous.charAt(k) == s.charAt(start + k);
            if (same) return previous;
        }
        return s.subSequence(start, end).toString();
    }
}
