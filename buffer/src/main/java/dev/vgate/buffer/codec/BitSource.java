package dev.vgate.buffer.codec;

/** Reads bits most-significant first, the inverse of {@link BitSink}. */
final class BitSource {
    private final ByteSource in;
    private int current;
    private int left;

    BitSource(ByteSource in) { this.in = in; }

    boolean readBit() throws CodecException { return readBits(1) == 1; }

    long readBits(int n) throws CodecException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            if (left == 0) {
                current = in.read();
                left = 8;
            }
            left--;
            v = (v << 1) | ((current >>> left) & 1);
        }
        return v;
    }
}
