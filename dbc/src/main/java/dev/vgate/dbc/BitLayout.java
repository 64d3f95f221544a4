package dev.vgate.dbc;

/**
 * Where a signal's bits are, computed once at load time.
 *
 * <pre>
 * Intel (@1): start bit = LSB; bit b is byte b/8, bit b%8.           raw = (LE window >>> shift) &amp; mask
 * Motorola (@0): start bit = MSB in cantools' "sawtooth" numbering:
 *   byte 0: 7 6 5 4 3 2 1 0 | byte 1: 15 14 ... 8 | ...
 *   the MSB sits at network position n = 8*(s/8) + 7 - s%8 (byte-major, bit 7 first); the signal covers
 *   network positions n .. n+len-1.                                   raw = (BE window >>> shift) &amp; mask
 * </pre>
 * A "window" is the bytes {@code firstByte..lastByte} read as one integer (at most 9 bytes: a 64-bit
 * signal that is not byte-aligned; that case takes a second step).
 */
final class BitLayout {
    final boolean littleEndian;
    final int startBit;
    final int length;
    final int firstByte;
    final int lastByte;
    /** Right shift of the window that puts the signal's LSB at bit 0 (for 9-byte windows: of the first 8 bytes). */
    final int windowShift;
    /** Right shift of the whole 8-byte frame word (LE or BE) when the message is at most 8 bytes long. */
    final int wordShift;
    final long mask;

    BitLayout(boolean littleEndian, int startBit, int length) {
        this.littleEndian = littleEndian;
        this.startBit = startBit;
        this.length = length;
        this.mask = length == 64 ? -1L : (1L << length) - 1;
        if (littleEndian) {
            firstByte = startBit / 8;
            lastByte = (startBit + length - 1) / 8;
            windowShift = startBit - 8 * firstByte;
            wordShift = startBit;
        } else {
            int n = msbNetworkPosition(startBit);
            firstByte = n / 8;
            lastByte = (n + length - 1) / 8;
            windowShift = 8 * (lastByte + 1) - (n + length);
            wordShift = 64 - (n + length);
        }
    }

    /** Network position (byte-major, MSB first) of a Motorola start bit. */
    static int msbNetworkPosition(int startBit) {
        return 8 * (startBit / 8) + 7 - startBit % 8;
    }

    /** Bits past the end of a message of {@code lengthBytes} (the signal is then not decoded). */
    boolean fitsIn(int lengthBytes) {
        return lastByte < lengthBytes;
    }

    int spanBytes() { return lastByte - firstByte + 1; }

    /** Extracts the raw (unsigned, masked) bits from {@code data}; the caller knows the bytes exist. */
    long extract(byte[] data) {
        int span = lastByte - firstByte + 1;
        if (littleEndian) {
            int n = Math.min(span, 8);
            long w = 0;
            for (int k = n - 1; k >= 0; k--) w = (w << 8) | (data[firstByte + k] & 0xFFL);
            long v = w >>> windowShift;
            if (span == 9) v |= (data[lastByte] & 0xFFL) << (64 - windowShift);
            return v & mask;
        }
        if (span <= 8) {
            long w = 0;
            for (int k = firstByte; k <= lastByte; k++) w = (w << 8) | (data[k] & 0xFFL);
            return (w >>> windowShift) & mask;
        }
        long w = 0;
        for (int k = firstByte; k < firstByte + 8; k++) w = (w << 8) | (data[k] & 0xFFL);
        return ((w << (8 - windowShift)) | ((data[lastByte] & 0xFFL) >>> windowShift)) & mask;
    }

    /** Byte index and bit-in-byte (0 = LSB) of the signal's bit {@code k} (0 = its LSB). */
    int bytePositionOf(int k) {
        if (littleEndian) return (startBit + k) >>> 3;
        return (msbNetworkPosition(startBit) + length - 1 - k) >>> 3;
    }

    int bitInByteOf(int k) {
        if (littleEndian) return (startBit + k) & 7;
        return 7 - ((msbNetworkPosition(startBit) + length - 1 - k) & 7);
    }

    /** Writes {@code raw}'s low {@code length} bits into {@code data}, clearing what was there. */
    void insert(byte[] data, long raw) {
        for (int k = 0; k < length; k++) {
            int b = bytePositionOf(k);
            int bit = bitInByteOf(k);
            if (((raw >>> k) & 1) != 0) data[b] |= (byte) (1 << bit);
            else data[b] &= (byte) ~(1 << bit);
        }
    }

    /** Sets this signal's bits in a 512-bit map (8 longs), for overlap checks. */
    void markBits(long[] bits) {
        for (int k = 0; k < length; k++) {
            int pos = bytePositionOf(k) * 8 + bitInByteOf(k);
            if (pos < 512) bits[pos >>> 6] |= 1L << (pos & 63);
        }
    }
}
