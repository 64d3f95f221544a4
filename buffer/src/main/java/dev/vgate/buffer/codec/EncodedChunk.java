package dev.vgate.buffer.codec;

/** One signal's samples, encoded: the unit of storage in the buffer and of the wire {@code Chunk}. */
public record EncodedChunk(ValueEncoding encoding, int count, long firstTimestampUs, long timestampUnitUs,
                           byte[] timestamps, byte[] values) {

    /** Encodes {@code column}; the timestamp unit is the GCD of its deltas. */
    public static EncodedChunk encode(ValueEncoding encoding, SampleColumn column) {
        int n = column.size();
        if (n == 0) throw new IllegalArgumentException("empty column");
        long unit = TimestampCodec.unit(column.timestamps(), n);
        ByteSink tsOut = new ByteSink(n + 8);
        TimestampCodec.encode(column.timestamps(), n, unit, tsOut);
        ByteSink valOut = new ByteSink(n * 2 + 8);
        ValueCodec.encode(encoding, column.raws(), n, valOut);
        return new EncodedChunk(encoding, n, column.timestamp(0), unit, tsOut.toByteArray(), valOut.toByteArray());
    }

    /** Appends the decoded samples to {@code into}. */
    public void decodeInto(SampleColumn into) throws CodecException {
        if (count < 0) throw new CodecException("negative sample count " + count);
        if (timestampUnitUs < 1) throw new CodecException("timestamp unit " + timestampUnitUs + " < 1");
        // every sample costs at least one value byte (one bit for XOR) and one timestamp byte after the first:
        // a count the data cannot back is refused before anything is allocated for it
        long backed = encoding.isFloat() ? 8L * values.length : values.length;
        if (count > backed || (count > 1 && count - 1 > timestamps.length)) {
            throw new CodecException("sample count " + count + " is more than " + values.length + " value bytes and " + timestamps.length + " timestamp bytes can hold");
        }
        int base = into.size();
        into.resize(base + count);
        long[] t = new long[count];
        long[] r = new long[count];
        TimestampCodec.decode(timestamps, firstTimestampUs, timestampUnitUs, count, t);
        ValueCodec.decode(encoding, values, count, r);
        System.arraycopy(t, 0, into.timestamps(), base, count);
        System.arraycopy(r, 0, into.raws(), base, count);
    }

    public SampleColumn decode() throws CodecException {
        SampleColumn c = new SampleColumn(count);
        decodeInto(c);
        return c;
    }
}
