package dev.vgate.buffer.codec;

/** LEB128 varints with zigzag for signed values: small magnitudes of either sign take one byte. */
public final class Varint {
    private Varint() {}

    public static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    public static long unzigzag(long v) { return (v >>> 1) ^ -(v & 1); }

    public static void writeSigned(ByteSink out, long v) { writeUnsigned(out, zigzag(v)); }

    public static void writeUnsigned(ByteSink out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    public static long readSigned(ByteSource in) throws CodecException { return unzigzag(readUnsigned(in)); }

    public static long readUnsigned(ByteSource in) throws CodecException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new CodecException("varint longer than 10 bytes at offset " + in.position());
    }
}
