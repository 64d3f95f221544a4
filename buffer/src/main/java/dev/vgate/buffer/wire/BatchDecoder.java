package dev.vgate.buffer.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.buffer.codec.CodecException;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.protocol.telemetry.Chunk;
import dev.vgate.protocol.telemetry.ChunkList;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import java.io.IOException;
import java.io.InputStream;

/** The cloud side: reads {@link TelemetryBatch}es back into samples (exact raw values, µs timestamps). */
public final class BatchDecoder {
    private BatchDecoder() {}

    public static TelemetryBatch parse(byte[] bytes) throws WireException {
        try {
            return TelemetryBatch.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("not a TelemetryBatch: " + e.getMessage(), e);
        }
    }

    /** Reads the next length-delimited batch of a stream, or null at its end. */
    public static TelemetryBatch readDelimited(InputStream in) throws WireException {
        try {
            return TelemetryBatch.parseDelimitedFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("corrupt length-delimited TelemetryBatch: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new WireException("cannot read batches: " + e.getMessage(), e);
        }
    }

    public static ChunkList chunks(TelemetryBatch batch) throws WireException {
        if (batch.getSchemaVersion() != BatchEncoder.SCHEMA_VERSION) {
            throw new WireException("batch " + batch.getSequence() + ": schema version " + batch.getSchemaVersion() + " is not supported (expected " + BatchEncoder.SCHEMA_VERSION + ")");
        }
        byte[] raw = Compression.ofCode(batch.getCompressionValue()).decompress(batch.getPayload().toByteArray());
        try {
            return ChunkList.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("batch " + batch.getSequence() + ": payload is not a ChunkList: " + e.getMessage(), e);
        }
    }

    /** Visits every sample of the batch; returns how many there were. */
    public static long visit(TelemetryBatch batch, SampleVisitor visitor) throws WireException {
        ChunkList list = chunks(batch);
        long n = 0;
        for (int i = 0; i < list.getChunksCount(); i++) {
            Chunk c = list.getChunks(i);
            SampleColumn col = decodeChunk(list, i, batch.getSequence());
            ValueEncoding enc = encodingOf(c, batch.getSequence(), i);
            for (int k = 0; k < col.size(); k++) {
                long raw = col.raw(k);
                visitor.sample(col.timestamp(k), c.getBus(), c.getMessage(), c.getSignal(), raw, physical(enc, raw, c.getFactor(), c.getOffset()));
            }
            n += col.size();
        }
        return n;
    }

    static SampleColumn decodeChunk(ChunkList list, int i, long seq) throws WireException {
        Chunk c = list.getChunks(i);
        Chunk tsSource = c;
        if (c.getTimestampsSameAs() != 0) {
            int ref = c.getTimestampsSameAs() - 1;
            if (ref >= i) throw new WireException("batch " + seq + " chunk " + (i + 1) + ": timestamps_same_as " + c.getTimestampsSameAs() + " is not an earlier chunk");
            tsSource = list.getChunks(ref);
            if (tsSource.getCount() != c.getCount()) throw new WireException("batch " + seq + " chunk " + (i + 1) + ": shares timestamps with a chunk of " + tsSource.getCount() + " samples but has " + c.getCount());
        }
        EncodedChunk enc = new EncodedChunk(encodingOf(c, seq, i), c.getCount(), tsSource.getFirstTimestampUs(), tsSource.getTimestampUnitUs(),
                tsSource.getTimestamps().toByteArray(), c.getValues().toByteArray());
        try {
            return enc.decode();
        } catch (CodecException e) {
            throw new WireException("batch " + seq + " chunk " + (i + 1) + " (" + c.getMessage() + "." + c.getSignal() + "): " + e.getMessage(), e);
        }
    }

    private static ValueEncoding encodingOf(Chunk c, long seq, int i) throws WireException {
        try {
            return ValueEncoding.ofCode(c.getEncodingValue());
        } catch (CodecException e) {
            throw new WireException("batch " + seq + " chunk " + (i + 1) + ": " + e.getMessage(), e);
        }
    }

    /** The physical value: scaled integer, or the IEEE float the raw bits hold. */
    public static double physical(ValueEncoding enc, long raw, double factor, double offset) {
        switch (enc) {
            case XOR_FLOAT32: return Float.intBitsToFloat((int) raw);
            case XOR_FLOAT64: return Double.longBitsToDouble(raw);
            default: return raw * factor + offset;
        }
    }
}
