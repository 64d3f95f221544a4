package dev.vgate.ota.boot;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GRUB's environment block file (grubenv): exactly 1024 bytes, "# GRUB Environment Block\n", then
 * "name=value\n" lines, padded with '#'. grub-editenv escapes '\\' and newlines with a backslash.
 */
public final class GrubEnv {
    public static final int SIZE = 1024;
    static final String HEADER = "# GRUB Environment Block\n";

    private GrubEnv() {}

    public static Map<String, String> decode(byte[] block) {
        String s = new String(block, StandardCharsets.ISO_8859_1);
        if (block.length != SIZE || !s.startsWith(HEADER)) throw new IllegalArgumentException("not a 1024-byte GRUB environment block");
        Map<String, String> vars = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder();
        for (int i = HEADER.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                line.append(s.charAt(++i));
            } else if (c == '\n') {
                add(vars, line.toString());
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
        return vars;
    }

    private static void add(Map<String, String> vars, String line) {
        if (line.isEmpty() || line.startsWith("#")) return;
        int eq = line.indexOf('=');
        if (eq > 0) vars.put(line.substring(0, eq), line.substring(eq + 1));
    }

    public static byte[] encode(Map<String, String> vars) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (Map.Entry<String, String> e : vars.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().contains("\n"))
                throw new IllegalArgumentException("invalid grubenv variable name \"" + e.getKey() + "\"");
            sb.append(e.getKey()).append('=').append(e.getValue().replace("\\", "\\\\").replace("\n", "\\\n")).append('\n');
        }
        if (sb.length() > SIZE) throw new IllegalArgumentException("grubenv content is " + sb.length() + " bytes, more than " + SIZE);
        while (sb.length() < SIZE) sb.append('#');
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
