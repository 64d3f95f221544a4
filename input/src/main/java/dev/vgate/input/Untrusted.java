package dev.vgate.input;

/**
 * Text that came from outside (a command's key id, a vehicle id in an envelope, a file's contents) made
 * safe to put into a log line or onto a terminal: control characters (newline, ESC, the C1 range), the
 * Unicode line separators and bidirectional overrides become {@code \n} or {@code \}{@code uXXXX} escapes, a
 * backslash is doubled, and the text is cut at a length limit. A forged log line or a terminal escape sequence
 * therefore prints as visible characters.
 */
public final class Untrusted {
    /** Longest untrusted value printed in full: ids are short; anything longer is cut and its length told. */
    public static final int DEFAULT_MAX_CHARS = 200;

    private Untrusted() {}

    public static String escape(String s) { return escape(s, DEFAULT_MAX_CHARS); }

    public static String escape(String s, int maxChars) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars) + 8);
        int n = s.length();
        int i = 0;
        for (; i < n && b.length() < maxChars; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (unsafe(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        if (i < n) b.append("...(").append(n).append(" chars)");
        return b.toString();
    }

    /** Whether {@code s} would print unchanged (no character needs escaping and it is not too long). */
    public static boolean isPlain(String s) {
        return s != null && escape(s).equals(s);
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || c == 0x7f) return true;                  // C0 controls, DEL
        if (c >= 0x80 && c <= 0x9f) return true;                 // C1 controls (0x9b is a one-byte CSI)
        if (c == 0x2028 || c == 0x2029) return true;             // line and paragraph separators
        if (c >= 0x200b && c <= 0x200f) return true;             // zero-width and direction marks
        if (c >= 0x202a && c <= 0x202e) return true;             // bidi embeddings and overrides
        if (c >= 0x2066 && c <= 0x2069) return true;             // bidi isolates
        return c == 0xfeff;                                      // BOM / zero-width no-break space
    }
}
