package dev.vgate.trust;

/** Untrusted text (a key id from the wire) made safe for one log line: clipped, control characters escaped. */
public final class Printable {
    private Printable() {}

    public static String clip(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder();
        int n = Math.min(s.length(), 64);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        if (s.length() > n) b.append('…');
        return b.toString();
    }
}
