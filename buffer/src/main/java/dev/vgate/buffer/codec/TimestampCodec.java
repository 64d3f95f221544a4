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
        if (count <= 0) return;
        ByteSource in = new ByteSource(data);
        out[0] = first;
        long delta = 0;
        for (int i = 1; i < count; i++) {
            delta += Varint.readSigned(in);
            out[i] = out[i - 1] + delta * unit;
        }
        if (!in.exhausted()) throw new CodecException("timestamps: " + (data.length - in.position()) + " bytes left after " + count + " samples");
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
