package dev.vgate.buffer.codec;

/**
 * Chunk values. DELTA_ZIGZAG: the first raw value, then each difference, as zigzag varints; long arithmetic
 * wraps, so every 64-bit raw round-trips exactly. XOR_*: Gorilla (Pelkonen et al., VLDB 2015) on the IEEE
 * bits: '0' for a repeat, '10' + meaningful bits in the previous leading/trailing window, or '11' + 6 bits
 * leading zeros + 6 bits (length-1) + the meaningful bits.
 */
public final class ValueCodec {
    private ValueCodec() {}

    public static void encode(ValueEncoding encoding, long[] raw, int count, ByteSink out) {
        switch (encoding) {
            case DELTA_ZIGZAG: case DELTA_ZIGZAG_UNSIGNED64: encodeDeltas(raw, count, out); break;
            case XOR_FLOAT32: encodeXor(raw, count, 32, out); break;
            case XOR_FLOAT64: encodeXor(raw, count, 0, out); break;
            default: throw new IllegalStateException(encoding.name());
        }
    }

    public static void decode(ValueEncoding encoding, byte[] data, int count, long[] out) throws CodecException {
        ByteSource in = new ByteSource(data);
        switch (encoding) {
            case DELTA_ZIGZAG: case DELTA_ZIGZAG_UNSIGNED64: decodeDeltas(in, count, out); break;
            case XOR_FLOAT32: decodeXor(in, count, 32, out); break;
            case XOR_FLOAT64: decodeXor(in, count, 0, out); break;
            default: throw new IllegalStateException(encoding.name());
        }
        if (!in.exhausted()) throw new CodecException(encoding + ": " + in.remaining() + " bytes left after " + count + " samples");
    }

    static void encodeDeltas(long[] raw, int count, ByteSink out) {
        long prev = 0;
        for (int i = 0; i < count; i++) {
            Varint.writeSigned(out, raw[i] - prev);
            prev = raw[i];
        }
    }

    static void decodeDeltas(ByteSource in, int count, long[] out) throws CodecException {
        long prev = 0;
        for (int i = 0; i < count; i++) {
            prev += Varint.readSigned(in);
            out[i] = prev;
        }
    }

    /** {@code shift} 32 moves float32 bits into the high half so the 64-bit window logic serves both widths. */
    static void encodeXor(long[] raw, int count, int shift, ByteSink out) {
        if (count == 0) return;
        BitSink bits = new BitSink(out);
        long prev = raw[0] << shift;
        bits.writeBits(prev, 64);
        int prevLead = -1;
        int prevTrail = 0;
        for (int i = 1; i < count; i++) {
            long v = raw[i] << shift;
            long x = v ^ prev;
            prev = v;
            if (x == 0) {
                bits.writeBit(false);
                continue;
            }
            bits.writeBit(true);
            int lead = Long.numberOfLeadingZeros(x);
            int trail = Long.numberOfTrailingZeros(x);
            if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
                bits.writeBit(false);
                bits.writeBits(x >>> prevTrail, 64 - prevLead - prevTrail);
            } else {
                int len = 64 - lead - trail;
                bits.writeBit(true);
                bits.writeBits(lead, 6);
                bits.writeBits(len - 1, 6);
                bits.writeBits(x >>> trail, len);
                prevLead = lead;
                prevTrail = trail;
            }
        }
        bits.flush();
    }

    static void decodeXor(ByteSource in, int count, int shift, long[] out) throws CodecException {
        if (count == 0) return;
        BitSource bits = new BitSource(in);
        long prev = bits.readBits(64);
        out[0] = prev >>> shift;
        int lead = -1;
        int trail = 0;
        for (int i = 1; i < count; i++) {
            if (bits.readBit()) {
                if (bits.readBit()) {
                    lead = (int) bits.readBits(6);
                    int len = (int) bits.readBits(6) + 1;
                    if (lead + len > 64) throw new CodecException("xor: window " + lead + "+" + len + " exceeds 64 bits at sample " + i);
                    trail = 64 - lead - len;
                } else if (lead < 0) {
                    throw new CodecException("xor: window reused before one was set at sample " + i);
                }
                prev ^= bits.readBits(64 - lead - trail) << trail;
            }
            out[i] = prev >>> shift;
        }
    }
}
