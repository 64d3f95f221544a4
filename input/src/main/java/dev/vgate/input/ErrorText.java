package dev.vgate.input;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error messages for people: libraries wrap their exceptions as {@code new IOException(cause)}, whose message
 * is {@code "org.tukaani.xz.CorruptedInputException: Compressed data is corrupt"}. Here such Java class names
 * become words ({@code "corrupted input: Compressed data is corrupt"}), a message-less exception is named by its
 * kind, and line breaks become spaces, so every refusal prints as one line without Java internals.
 */
public final class ErrorText {
    /** A qualified Throwable class name, e.g. java.io.EOFException or org.tukaani.xz.CorruptedInputException. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*?)(Exception|Error)\\b");

    private ErrorText() {}

    /** The throwable's message, cleaned; its kind in words when it has none. */
    public static String of(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = t.getCause();
            return c != null && c != t ? of(c) : words(t.getClass().getSimpleName().replaceFirst("(Exception|Error)$", ""));
        }
        return clean(m);
    }

    /** A message with Java class names replaced by words and line breaks by spaces. */
    public static String clean(String message) {
        if (message == null) return "";
        Matcher m = QUALIFIED.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(words(m.group(1))));
        m.appendTail(b);
        return b.toString().replaceAll("[\\r\\n]+\\s*", " ").strip();
    }

    /** "CorruptedInput" → "corrupted input"; "EOF" → "end of file"; "IO" → "I/O error". */
    static String words(String camel) {
        if (camel.equals("EOF")) return "end of file";
        if (camel.equals("IO")) return "I/O error";
        if (camel.isEmpty()) return "error";
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
