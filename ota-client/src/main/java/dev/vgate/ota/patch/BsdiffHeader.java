package dev.vgate.ota.patch;

import dev.vgate.ota.OtaException;

import java.nio.charset.StandardCharsets;

import static dev.vgate.ota.OtaException.Reason.CORRUPT_PATCH;

/**
 * The 32-byte BSDIFF40 header: magic, compressed control length, compressed diff length, new size.
 * Numbers are bsdiff "offtin" values: 8 bytes little-endian magnitude, sign in the top bit of the last byte.
 * Then follow the control, diff and extra streams, each compressed on its own (bzip2 by bsdiff; jbsdiff
 * also writes gzip and xz, detected by their magic).
 */
public record BsdiffHeader(long controlLength, long diffLength, long extraLength, long newSize) {
    public static final int SIZE = 32;
    static final byte[] MAGIC = "BSDIFF40".getBytes(StandardCharsets.US_ASCII);

    public static BsdiffHeader parse(byte[] h, long patchSize) throws OtaException {
        if (patchSize < SIZE) throw new OtaException(CORRUPT_PATCH, "patch is " + patchSize + " bytes, shorter than the 32-byte header");
        for (int i = 0; i < MAGIC.length; i++)
            if (h[i] != MAGIC[i]) throw new OtaException(CORRUPT_PATCH, "patch does not start with BSDIFF40");
        long ctrl = readOffset(h, 8), diff = readOffset(h, 16), size = readOffset(h, 24);
        if (ctrl < 0 || diff < 0 || size < 0)
            throw new OtaException(CORRUPT_PATCH, "negative length in header (control " + ctrl + ", diff " + diff + ", new size " + size + ")");
        long body = patchSize - SIZE;
        if (ctrl > body || diff > body - ctrl)
            throw new OtaException(CORRUPT_PATCH, "header lengths (control " + ctrl + " + diff " + diff + ") exceed the patch body of " + body + " bytes");
        return new BsdiffHeader(ctrl, diff, body - ctrl - diff, size);
    }

    /** Decodes a bsdiff offset. The magnitude uses 63 bits, so every value fits a long. */
    public static long readOffset(byte[] b, int off) {
        long y = b[off + 7] & 0x7fL;
        for (int i = 6; i >= 0; i--) y = (y << 8) | (b[off + i] & 0xffL);
        return (b[off + 7] & 0x80) != 0 ? -y : y;
    }

    public static void writeOffset(long value, byte[] b, int off) {
        long y = Math.abs(value);
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) y;
            y >>>= 8;
        }
        if (value < 0) b[off + 7] |= (byte) 0x80;
    }

    public byte[] toBytes() {
        byte[] h = new byte[SIZE];
        System.arraycopy(MAGIC, 0, h, 0, 8);
        writeOffset(controlLength, h, 8);
        writeOffset(diffLength, h, 16);
        writeOffset(newSize, h, 24);
        return h;
    }
}
