package dev.vgate.buffer.codec;

/** Writes bits most-significant first into a {@link ByteSink}; {@link #flush()} pads the last byte with zeros. */
final class BitSink {
    private final ByteSink out;
    private int current;
    private int used;

    BitSink(ByteSink out) { this.out = out; }

    void writeBit(boolean bit) { writeBits(bit ? 1 : 0, 1); }

    /** Writes the low {@code n} bits of {@code value} (n ≤ 64). */
    void writeBits(long value, int n) {
        for (int i = n - 1; i >= 0; i--) {
            current = (current << 1) | (int) ((value >>> i) & 1);
            if (++used == 8) {
                out.write(current);
                current = 0;
                used = 0;
            }
        }
    }

    void flush() {
        if (used > 0) {
            out.write(current << (8 - used));
            current = 0;
            used = 0;
        }
    }
}
