package dev.vgate.buffer.codec;

/**
 * Delta-of-delta timestamps (µs) as zigzag varints, in units of the chunk's common divisor: a periodic
 * signal costs one byte per sample, and loggers with coarse clocks (e.g. 100 µs) do not pay for the zeros.
 * The first timestamp travels in the chunk header, so a chunk of n samples stores n-1 varints.
 */
public final class TimestampCodec {
    private TimestampCodec() {}

    /** The greatest common divisor of all deltas (1 when there are none or all are 0). */
    public static long unit(long[] ts, int count) {
        long g = 0;
        for (int i = 1; i < count && g != 1; i++) g = gcd(g, Math.abs(ts[i] - ts[i - 1]));
        return g <= 0 ? 1 : g;
    }

    public static void encode(long[] ts, int count, long unit, ByteSink out) {
        long prevDelta = 0;
        for (int i = 1; i < count; i++) {
            long delta = (ts[i] - ts[i - 1]) / unit;
            Varint.writeSigned(out, delta - prevDelta);
            prevDelta = delta;
        }
    }

    public static void decode(byte[] data, long first, long unit, int count, long[] out) throws CodecException {
        decode(data, 0, data.length, first, unit, count, out);
    }

    /** Decodes from {@code data[off, off+len)}, which must hold exactly {@code count - 1} varints. */
    public static void decode(byte[] data, int off, int len, long first, long unit, int count, long[] out) throws CodecException {
        if (count <= 0) return;
        ByteSource in = new ByteSource(data, off, len);
        out[0] = first;
        long delta = 0;
        for (int i = 1; i < count; i++) {
            delta += Varint.readSigned(in);
            out[i] = out[i - 1] + delta * unit;
        }
        if (!in.exhausted()) throw new CodecException("timestamps: " + in.remaining() + " bytes left after " + count + " samples");
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Timestamps against an earlier stream's ({@code ref}, e.g. a frame the same ECU sends right before this
     * one): per sample the index j of a reference timestamp and the offset o = t - ref[j]; written as j0, then
     * for each later sample the zigzag varints (j - previous j) and (o - previous o). The encoder takes j as
     * the last reference at or before t; the decoder follows the j written, so any ref order decodes exactly.
     * The first timestamp travels in the chunk header, as for the plain codec.
     */
    public static void encodeAgainst(long[] ts, int count, long[] ref, int refCount, ByteSink out) {
        int j = 0;
        long prevO = 0;
        int prevJ = 0;
        for (int i = 0; i < count; i++) {
            while (j + 1 < refCount && ref[j + 1] <= ts[i]) j++;
            long o = ts[i] - ref[j];
            if (i == 0) Varint.writeUnsigned(out, j);
            else {
                Varint.writeSigned(out, j - prevJ);
                Varint.writeSigned(out, o - prevO);
            }
            prevJ = j;
            prevO = o;
        }
    }

    public static void decodeAgainst(byte[] data, int off, int len, long first, int count, long[] ref, int refCount, long[] out) throws CodecException {
        if (count <= 0) return;
        ByteSource in = new ByteSource(data, off, len);
        long j = Varint.readUnsigned(in);
        if (j < 0 || j >= refCount) throw new CodecException("timestamp reference index " + Long.toUnsignedString(j) + " outside the " + refCount + " reference samples");
        out[0] = first;
        long o = first - ref[(int) j];
        for (int i = 1; i < count; i++) {
            j += Varint.readSigned(in);
            if (j < 0 || j >= refCount) throw new CodecException("timestamp reference index " + j + " outside the " + refCount + " reference samples at sample " + i);
            o += Varint.readSigned(in);
            out[i] = ref[(int) j] + o;
        }
        if (!in.exhausted()) throw new CodecException("timestamps: " + in.remaining() + " bytes left after " + count + " samples");
    }

    /**
     * Timestamps as deltas from a fixed period P (the median delta, in units): varint P, then zigzag varints of
     * (delta − P). For a sender that keeps a fixed schedule with independent jitter this is cheaper than
     * delta-of-delta (whose residual adds up the jitter of three timestamps instead of two).
     */
    public static void encodePeriodic(long[] ts, int count, long unit, ByteSink out) {
        if (count < 2) return;
        long[] d = new long[count - 1];
        for (int i = 1; i < count; i++) d[i - 1] = (ts[i] - ts[i - 1]) / unit;
        long[] sorted = d.clone();
        java.util.Arrays.sort(sorted);
        long period = sorted[sorted.length / 2];
        Varint.writeSigned(out, period);
        for (long x : d) Varint.writeSigned(out, x - period);
    }

    public static void decodePeriodic(byte[] data, int off, int len, long first, long unit, int count, long[] out) throws CodecException {
        if (count <= 0) return;
        ByteSource in = new ByteSource(data, off, len);
        out[0] = first;
        if (count > 1) {
            long period = Varint.readSigned(in);
            for (int i = 1; i < count; i++) out[i] = out[i - 1] + (period + Varint.readSigned(in)) * unit;
        }
        if (!in.exhausted()) throw new CodecException("timestamps: " + in.remaining() + " bytes left after " + count + " samples");
    }

    /** As {@link #encodeAgainst}, but each offset is written as its difference to the median offset O: j0, O, then (Δj, o − O). */
    public static void encodeAgainstMedian(long[] ts, int count, long[] ref, int refCount, ByteSink out) {
        int[] js = new int[count];
        long[] os = new long[count];
        int j = 0;
        for (int i = 0; i < count; i++) {
            while (j + 1 < refCount && ref[j + 1] <= ts[i]) j++;
            js[i] = j;
            os[i] = ts[i] - ref[j];
        }
        long[] sorted = os.clone();
        java.util.Arrays.sort(sorted);
        long median = sorted[count / 2];
        Varint.writeUnsigned(out, js[0]);
        Varint.writeSigned(out, median);
        for (int i = 1; i < count; i++) {
            Varint.writeSigned(out, js[i] - js[i - 1]);
            Varint.writeSigned(out, os[i] - median);
        }
    }

    public static void decodeAgainstMedian(byte[] data, int off, int len, long first, int count, long[] ref, int refCount, long[] out) throws CodecException {
        if (count <= 0) return;
        ByteSource in = new ByteSource(data, off, len);
        long j = Varint.readUnsigned(in);
        if (j < 0 || j >= refCount) throw new CodecException("timestamp reference index " + Long.toUnsignedString(j) + " outside the " + refCount + " reference samples");
        long median = Varint.readSigned(in);
        out[0] = first;
        for (int i = 1; i < count; i++) {
            j += Varint.readSigned(in);
            if (j < 0 || j >= refCount) throw new CodecException("timestamp reference index " + j + " outside the " + refCount + " reference samples at sample " + i);
            out[i] = ref[(int) j] + median + Varint.readSigned(in);
        }
        if (!in.exhausted()) throw new CodecException("timestamps: " + in.remaining() + " bytes left after " + count + " samples");
    }
}
