package dev.vgate.ota;

import java.util.Random;

/** Synthetic firmware-like images: structured, compressible data with realistic edits between versions. */
public final class Images {
    private Images() {}

    /** An "old" image: blocks of text-like repeats, counters and random bytes. */
    public static byte[] old(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int kind = r.nextInt(3), len = Math.min(size - i, 256 + r.nextInt(4096));
            for (int j = 0; j < len; j++) {
                b[i + j] = switch (kind) {
                    case 0 -> (byte) ("vgate firmware section ".charAt(j % 23));
                    case 1 -> (byte) (j * 7 + i);
                    default -> (byte) r.nextInt(256);
                };
            }
            i += len;
        }
        return b;
    }

    /** A "new" image: scattered byte edits, an insertion, a deletion and a changed block. */
    public static byte[] next(byte[] old, long seed) {
        Random r = new Random(seed);
        byte[] b = old.clone();
        for (int k = 0; k < Math.max(1, old.length / 2000); k++) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
        int ins = old.length / 3, insLen = Math.max(1, old.length / 50);
        byte[] out = new byte[old.length + insLen - Math.max(1, old.length / 100)];
        System.arraycopy(b, 0, out, 0, ins);
        for (int j = 0; j < insLen; j++) out[ins + j] = (byte) r.nextInt(256);
        int del = Math.max(1, old.length / 100);
        System.arraycopy(b, ins + del, out, ins + insLen, out.length - ins - insLen);
        return out;
    }
}
