package dev.vgate.rules;

/**
 * The one JSON string-literal writer of vgate: rule alerts and replay events here, and, through the agent's
 * {@code Json.string}, its status reports, {@code vgate dbc decode --json} and {@code vgate telemetry decode --json}.
 * It lives in the lowest module that writes JSON. Escapes {@code "} and {@code \}, writes {@code \n \r \t}
 * short and other control characters as {@code &#92;u00XX}; everything else (non-ASCII included) is written as is.
 */
public final class JsonString {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonString() {}

    /** Appends {@code s} as a JSON string literal, quotes included. */
    public static StringBuilder append(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }
}
