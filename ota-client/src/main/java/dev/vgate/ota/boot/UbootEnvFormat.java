package dev.vgate.ota.boot;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The U-Boot environment block: u32 little-endian CRC32 over the data area, then (redundant environments
 * only) one flag byte the CRC does not cover, then "name=value\0" entries ending with an empty entry
 * ("\0\0"), padded to the environment size.
 */
public final class UbootEnvFormat {
    private UbootEnvFormat() {}

    public static int dataOffset(boolean redundant) { return redundant ? 5 : 4; }

    /** The variables of a block, or null when its CRC does not match (such a copy is never trusted). */
    public static Map<String, String> decode(byte[] block, boolean redundant) {
        int off = dataOffset(redundant);
        CRC32 crc = new CRC32();
        crc.update(block, off, block.length - off);
        long stored = (block[0] & 0xffL) | (block[1] & 0xffL) << 8 | (block[2] & 0xffL) << 16 | (block[3] & 0xffL) << 24;
        if (crc.getValue() != stored) return null;
        Map<String, String> vars = new LinkedHashMap<>();
        int i = off;
        while (i < block.length && block[i] != 0) {
            int end = i;
            while (end < block.length && block[end] != 0) end++;
            String entry = new String(block, i, end - i, StandardCharsets.ISO_8859_1);
            int eq = entry.indexOf('=');
            if (eq > 0) vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            i = end + 1;
        }
        return vars;
    }

    /** Encodes the variables into a block of {@code size} bytes; the caller sets the flag byte. */
    public static byte[] encode(Map<String, String> vars, int size, boolean redundant) {
        int off = dataOffset(redundant);
        byte[] block = new byte[size];
        int p = off;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            byte[] entry = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.ISO_8859_1);
            if (p + entry.length + 2 > size)
                throw new IllegalArgumentException("environment does not fit in " + size + " bytes");
            System.arraycopy(entry, 0, block, p, entry.length);
            p += entry.length + 1;
        }
        // the rest stays 0: the terminating empty entry and the padding
        CRC32 crc = new CRC32();
        crc.update(block, off, size - off);
        long v = crc.getValue();
        for (int i = 0; i < 4; i++) block[i] = (byte) (v >>> (8 * i));
        return block;
    }

    public static void checkName(String name) {
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0)
            throw new IllegalArgumentException("invalid environment variable name \"" + name + "\"");
    }
}
