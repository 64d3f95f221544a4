package dev.vgate.buffer.codec;

/**
 * The value codecs of wire schema 2, chosen per chunk by the data ({@link #choose}): every codec is lossless
 * (64-bit raws round-trip exactly; long arithmetic wraps). The output is byte-aligned on purpose: the batch's
 * entropy stage (xz) models bytes, and a noisy value split into byte planes ("shuffled") leaves its
 * predictable high bytes in their own runs, where bit-packing would smear them across byte boundaries.
 * Codes are those of the wire ({@code ChunkTable.codec}); docs/telemetry.md describes each layout.
 */
public enum ColumnCodec {
    /** Every value equal: the value once, as a zigzag varint. */
    CONSTANT(0),
    /** First value, then differences, zigzag varints (slowly moving signals; schema 1's only integer codec). */
    DELTA_VARINT(1),
    /** The minimum (zigzag varint), then each value minus it (unsigned varints): noisy values in a small range. */
    OFFSET_VARINT(2),
    /** Runs: (difference to the previous run's value as a zigzag varint, run length − 1 as a varint). Step signals. */
    RUN_LENGTH(3),
    /** Gorilla XOR bit stream of the raw bits (floats; schema 1's float codec). */
    XOR_GORILLA(4),
    /** Zigzag differences as fixed-width little-endian words of {@code width} bytes, stored plane by plane. */
    DELTA_SHUFFLED(5),
    /** Values minus the minimum as fixed-width words, plane by plane (noisy values over a wide range). */
    OFFSET_SHUFFLED(6),
    /** XOR with the previous raw (IEEE bits) as fixed-width words, plane by plane (noisy floats). */
    XOR_SHUFFLED(7);

    private final int code;

    ColumnCodec(int code) { this.code = code; }

    public int code() { return code; }

    public static ColumnCodec ofCode(int code) throws CodecException {
        for (ColumnCodec c : values()) if (c.code == code) return c;
        throw new CodecException("unknown column codec " + code);
    }

    private static final ColumnCodec[] INTEGER_CANDIDATES = {DELTA_VARINT, OFFSET_VARINT, RUN_LENGTH, DELTA_SHUFFLED, OFFSET_SHUFFLED};
    private static final ColumnCodec[] FLOAT_CANDIDATES = {DELTA_VARINT, RUN_LENGTH, XOR_GORILLA, XOR_SHUFFLED, OFFSET_SHUFFLED};

    /**
     * The codec whose output has the smallest estimated compressed size: bytes × their order-0 entropy (the
     * part of the cost an LZ + range coder cannot avoid), plus a small cost per byte so that of two streams
     * with the same entropy the shorter wins. {@code scratch} is reused to avoid allocating per chunk.
     */
    public static ColumnCodec choose(long[] raw, int n, ValueEncoding kind, ByteSink scratch) {
        if (n == 0) return CONSTANT;
        boolean constant = true;
        for (int i = 1; i < n && constant; i++) constant = raw[i] == raw[0];
        if (constant) return CONSTANT;
        ColumnCodec best = null;
        double bestCost = Double.MAX_VALUE;
        int[] hist = new int[256];
        for (ColumnCodec c : kind.isFloat() ? FLOAT_CANDIDATES : INTEGER_CANDIDATES) {
            scratch.reset();
            encode(c, raw, n, kind, scratch);
            double cost = estimate(scratch, hist);
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }

    /** Estimated compressed bits: order-0 entropy of the bytes, plus 0.05 bit per byte. */
    public static double estimate(ByteSink bytes, int[] hist) {
        java.util.Arrays.fill(hist, 0);
        int len = bytes.size();
        byte[] b = bytes.buffer();
        for (int i = 0; i < len; i++) hist[b[i] & 0xFF]++;
        double bits = 0;
        for (int h : hist) if (h > 0) bits -= h * (Math.log((double) h / len));
        return bits / Math.log(2) + 0.05 * len;
    }

    public static void encode(ColumnCodec codec, long[] raw, int n, ValueEncoding kind, ByteSink out) {
        switch (codec) {
            case CONSTANT: Varint.writeSigned(out, raw[0]); break;
            case DELTA_VARINT: ValueCodec.encodeDeltas(raw, n, out); break;
            case OFFSET_VARINT: {
                long min = min(raw, n);
                Varint.writeSigned(out, min);
                for (int i = 0; i < n; i++) Varint.writeUnsigned(out, raw[i] - min);
                break;
            }
            case RUN_LENGTH: {
                long prev = 0;
                for (int i = 0; i < n; ) {
                    int j = i + 1;
                    while (j < n && raw[j] == raw[i]) j++;
                    Varint.writeSigned(out, raw[i] - prev);
                    Varint.writeUnsigned(out, j - i - 1);
                    prev = raw[i];
                    i = j;
                }
                break;
            }
            case XOR_GORILLA: ValueCodec.encodeXor(raw, n, kind == ValueEncoding.XOR_FLOAT32 ? 32 : 0, out); break;
            case DELTA_SHUFFLED: {
                long[] t = new long[n];
                long prev = 0;
                for (int i = 0; i < n; i++) {
                    t[i] = Varint.zigzag(raw[i] - prev);
                    prev = raw[i];
                }
                shuffled(t, n, out);
                break;
            }
            case OFFSET_SHUFFLED: {
                long min = min(raw, n);
                Varint.writeSigned(out, min);
                long[] t = new long[n];
                for (int i = 0; i < n; i++) t[i] = raw[i] - min;
                shuffled(t, n, out);
                break;
            }
            case XOR_SHUFFLED: {
                long[] t = new long[n];
                long prev = 0;
                for (int i = 0; i < n; i++) {
                    t[i] = raw[i] ^ prev;
                    prev = raw[i];
                }
                shuffled(t, n, out);
                break;
            }
            default: throw new IllegalStateException(codec.name());
        }
    }

    /** A width byte (1-8), then byte plane 0 (least significant) of every word, plane 1, ... */
    private static void shuffled(long[] t, int n, ByteSink out) {
        long or = 0;
        for (int i = 0; i < n; i++) or |= t[i];
        int width = Math.max(1, (64 - Long.numberOfLeadingZeros(or) + 7) / 8);
        out.write(width);
        for (int p = 0; p < width; p++) {
            int shift = 8 * p;
            for (int i = 0; i < n; i++) out.write((int) (t[i] >>> shift));
        }
    }

    private static long min(long[] raw, int n) {
        long m = raw[0];
        for (int i = 1; i < n; i++) m = Math.min(m, raw[i]);
        return m;
    }

    /**
     * Decodes {@code n} values from {@code data[off, off+len)} into {@code out}. Every count the stream
     * carries (run lengths, widths) is checked against {@code n} before it is used; the stream must be used up.
     */
    public static void decode(ColumnCodec codec, byte[] data, int off, int len, int n, ValueEncoding kind, long[] out) throws CodecException {
        ByteSource in = new ByteSource(data, off, len);
        switch (codec) {
            case CONSTANT: {
                long v = Varint.readSigned(in);
                java.util.Arrays.fill(out, 0, n, v);
                break;
            }
            case DELTA_VARINT: ValueCodec.decodeDeltas(in, n, out); break;
            case OFFSET_VARINT: {
                long min = Varint.readSigned(in);
                for (int i = 0; i < n; i++) out[i] = Varint.readUnsigned(in) + min;
                break;
            }
            case RUN_LENGTH: {
                long prev = 0;
                for (int i = 0; i < n; ) {
                    prev += Varint.readSigned(in);
                    long run = Varint.readUnsigned(in) + 1;
                    if (run <= 0 || run > n - i) throw new CodecException("run length " + Long.toUnsignedString(run) + " exceeds the " + (n - i) + " samples left");
                    java.util.Arrays.fill(out, i, i + (int) run, prev);
                    i += (int) run;
                }
                break;
            }
            case XOR_GORILLA: ValueCodec.decodeXor(in, n, kind == ValueEncoding.XOR_FLOAT32 ? 32 : 0, out); break;
            case DELTA_SHUFFLED: {
                readShuffled(in, n, out);
                long prev = 0;
                for (int i = 0; i < n; i++) {
                    prev += Varint.unzigzag(out[i]);
                    out[i] = prev;
                }
                break;
            }
            case OFFSET_SHUFFLED: {
                long min = Varint.readSigned(in);
                readShuffled(in, n, out);
                for (int i = 0; i < n; i++) out[i] += min;
                break;
            }
            case XOR_SHUFFLED: {
                readShuffled(in, n, out);
                long prev = 0;
                for (int i = 0; i < n; i++) {
                    prev ^= out[i];
                    out[i] = prev;
                }
                break;
            }
            default: throw new IllegalStateException(codec.name());
        }
        if (!in.exhausted()) throw new CodecException(codec + ": " + in.remaining() + " bytes left after " + n + " samples");
    }

    private static void readShuffled(ByteSource in, int n, long[] out) throws CodecException {
        int width = in.read();
        if (width < 1 || width > 8) throw new CodecException("shuffled width " + width + " is not 1-8 bytes");
        if ((long) width * n > in.remaining()) throw new CodecException("shuffled: " + n + " samples of " + width + " bytes need " + (long) width * n + " bytes, " + in.remaining() + " left");
        java.util.Arrays.fill(out, 0, n, 0L);
        for (int p = 0; p < width; p++) {
            int shift = 8 * p;
            for (int i = 0; i < n; i++) out[i] |= (long) in.read() << shift;
        }
    }
}
