package dev.vgate.buffer.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.buffer.codec.CodecException;
import dev.vgate.buffer.codec.ColumnCodec;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.codec.TimestampCodec;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.protocol.telemetry.Chunk;
import dev.vgate.protocol.telemetry.ChunkList;
import dev.vgate.protocol.telemetry.ChunkTable;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import java.io.IOException;
import java.io.InputStream;

/**
 * The cloud side: reads {@link TelemetryBatch}es (schema 2, and schema 1 as sent before) back into samples
 * (exact raw values, µs timestamps). Hostile input is expected: every count and length is checked against
 * the limits below (and against the bytes that back it) before anything is allocated for it.
 */
public final class BatchDecoder {
    /** A TelemetryBatch message (one MQTT payload / one length-delimited record) larger than this is refused. */
    public static final int MAX_BATCH_BYTES = 16 << 20;
    /** Samples per batch (all chunks together): decoding holds at most one chunk's, 16 bytes per sample. */
    public static final int MAX_BATCH_SAMPLES = 1 << 21;
    /** Chunks per batch (streams: one per signal and bus). */
    public static final int MAX_CHUNKS = 1 << 16;

    private BatchDecoder() {}

    public static TelemetryBatch parse(byte[] bytes) throws WireException {
        if (bytes.length > MAX_BATCH_BYTES) throw new WireException("batch of " + bytes.length + " bytes exceeds the " + MAX_BATCH_BYTES + "-byte limit");
        try {
            return TelemetryBatch.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("not a TelemetryBatch: " + e.getMessage(), e);
        }
    }

    /** Reads the next length-delimited batch of a stream, or null at its end. The length is checked before reading. */
    public static TelemetryBatch readDelimited(InputStream in) throws WireException {
        try {
            int first = in.read();
            if (first == -1) return null;
            int length = CodedInputStream.readRawVarint32(first, in);
            if (length < 0 || length > MAX_BATCH_BYTES) {
                throw new WireException("length-delimited TelemetryBatch claims " + Integer.toUnsignedString(length) + " bytes (limit " + MAX_BATCH_BYTES + ")");
            }
            byte[] buf = in.readNBytes(length);
            if (buf.length < length) throw new WireException("truncated TelemetryBatch: " + buf.length + " of " + length + " bytes");
            return TelemetryBatch.parseFrom(buf);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("corrupt length-delimited TelemetryBatch: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new WireException("cannot read batches: " + e.getMessage(), e);
        }
    }

    /** The uncompressed payload, its CRC-32C checked (schema 2). */
    static byte[] plainPayload(TelemetryBatch batch) throws WireException {
        int v = batch.getSchemaVersion();
        if (v != BatchEncoder.SCHEMA_VERSION && v != BatchEncoder.PREVIOUS_SCHEMA_VERSION) {
            throw new WireException("batch " + batch.getSequence() + ": schema version " + v + " is not supported (expected 1 or 2)");
        }
        if (batch.getSampleCount() < 0 || batch.getSampleCount() > MAX_BATCH_SAMPLES) {
            throw new WireException("batch " + batch.getSequence() + ": sample_count " + Integer.toUnsignedString(batch.getSampleCount()) + " exceeds the limit " + MAX_BATCH_SAMPLES);
        }
        Compression compression = Compression.ofCode(batch.getCompressionValue());
        if (v == BatchEncoder.PREVIOUS_SCHEMA_VERSION && compression == Compression.NONE) {
            // schema 1 has no checksum of its own: uncompressed, a flipped byte would decode as other samples
            throw new WireException("batch " + batch.getSequence() + ": schema 1 without compression carries no integrity check; refused");
        }
        byte[] plain = compression.decompress(batch.getPayload().toByteArray());
        if (v >= 2) {
            if (!batch.hasCrc32C()) throw new WireException("batch " + batch.getSequence() + ": schema 2 batch without its crc32c");
            int crc = BatchEncoder.crc32c(batch.getSequence(), batch.getSampleCount(), plain);
            if (crc != batch.getCrc32C()) {
                throw new WireException(String.format("batch %d: CRC-32C mismatch (computed %08x, batch says %08x): the batch is corrupt", batch.getSequence(), crc, batch.getCrc32C()));
            }
        }
        return plain;
    }

    /** Schema 1 only: the chunk list. */
    public static ChunkList chunks(TelemetryBatch batch) throws WireException {
        if (batch.getSchemaVersion() != BatchEncoder.PREVIOUS_SCHEMA_VERSION) throw new WireException("batch " + batch.getSequence() + " is schema " + batch.getSchemaVersion() + ", not a chunk list");
        byte[] raw = plainPayload(batch);
        try {
            return ChunkList.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("batch " + batch.getSequence() + ": payload is not a ChunkList: " + e.getMessage(), e);
        }
    }

    /** Visits every sample of the batch, chunk by chunk; returns how many there were (it must equal sample_count). */
    public static long visit(TelemetryBatch batch, SampleVisitor visitor) throws WireException {
        byte[] plain = plainPayload(batch);
        long n = batch.getSchemaVersion() == BatchEncoder.PREVIOUS_SCHEMA_VERSION ? visitChunkList(batch, plain, visitor) : visitTable(batch, plain, visitor);
        if (n != batch.getSampleCount()) throw new WireException("batch " + batch.getSequence() + ": holds " + n + " samples, sample_count says " + batch.getSampleCount());
        return n;
    }

    private static long visitChunkList(TelemetryBatch batch, byte[] plain, SampleVisitor visitor) throws WireException {
        long seq = batch.getSequence();
        ChunkList list;
        try {
            list = ChunkList.parseFrom(plain);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("batch " + seq + ": payload is not a ChunkList: " + e.getMessage(), e);
        }
        if (list.getChunksCount() > MAX_CHUNKS) throw new WireException("batch " + seq + ": " + list.getChunksCount() + " chunks exceed the limit " + MAX_CHUNKS);
        long n = 0;
        for (int i = 0; i < list.getChunksCount(); i++) {
            Chunk c = list.getChunks(i);
            ValueEncoding enc = encodingOf(c.getEncodingValue(), seq, i);
            n += checkCount(c.getCount(), n, seq, i);
            SampleColumn col = decodeChunk(list, i, seq);
            for (int k = 0; k < col.size(); k++) {
                long raw = col.raw(k);
                visitor.sample(col.timestamp(k), c.getBus(), c.getMessage(), c.getSignal(), raw, enc.physical(raw, c.getFactor(), c.getOffset()));
            }
        }
        return n;
    }

    /** A chunk's count as an int, refused if negative or over what is left of the batch budget. */
    private static int checkCount(int count, long soFar, long seq, int i) throws WireException {
        if (count < 0 || soFar + count > MAX_BATCH_SAMPLES) {
            throw new WireException("batch " + seq + " chunk " + (i + 1) + ": count " + Integer.toUnsignedString(count) + " exceeds the limit of " + MAX_BATCH_SAMPLES + " samples per batch");
        }
        return count;
    }

    static SampleColumn decodeChunk(ChunkList list, int i, long seq) throws WireException {
        Chunk c = list.getChunks(i);
        Chunk tsSource = c;
        if (c.getTimestampsSameAs() != 0) {
            int ref = c.getTimestampsSameAs() - 1;
            if (ref < 0 || ref >= i) throw new WireException("batch " + seq + " chunk " + (i + 1) + ": timestamps_same_as " + Integer.toUnsignedString(c.getTimestampsSameAs()) + " is not an earlier chunk");
            tsSource = list.getChunks(ref);
            if (tsSource.getCount() != c.getCount()) throw new WireException("batch " + seq + " chunk " + (i + 1) + ": shares timestamps with a chunk of " + tsSource.getCount() + " samples but has " + c.getCount());
        }
        int count = checkCount(c.getCount(), 0, seq, i);
        ValueEncoding enc = encodingOf(c.getEncodingValue(), seq, i);
        // schema 1 spends at least one byte per sample (deltas) or one bit (XOR): a count the data cannot back is refused
        long backed = enc.isFloat() ? 8L * c.getValues().size() : c.getValues().size();
        if (count > backed) throw new WireException("batch " + seq + " chunk " + (i + 1) + ": count " + count + " is more than its " + c.getValues().size() + " value bytes can hold");
        if (count > 1 && tsSource.getTimestamps().size() < count - 1) throw new WireException("batch " + seq + " chunk " + (i + 1) + ": count " + count + " is more than its " + tsSource.getTimestamps().size() + " timestamp bytes can hold");
        EncodedChunk chunk = new EncodedChunk(enc, count, tsSource.getFirstTimestampUs(), tsSource.getTimestampUnitUs(),
                tsSource.getTimestamps().toByteArray(), c.getValues().toByteArray());
        try {
            return chunk.decode();
        } catch (CodecException e) {
            throw new WireException("batch " + seq + " chunk " + (i + 1) + " (" + c.getMessage() + "." + c.getSignal() + "): " + e.getMessage(), e);
        }
    }

    private static long visitTable(TelemetryBatch batch, byte[] plain, SampleVisitor visitor) throws WireException {
        long seq = batch.getSequence();
        ChunkTable t;
        try {
            t = ChunkTable.parseFrom(plain);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("batch " + seq + ": payload is not a ChunkTable: " + e.getMessage(), e);
        }
        int chunks = t.getSignalCount();
        if (chunks > MAX_CHUNKS) throw new WireException("batch " + seq + ": " + chunks + " chunks exceed the limit " + MAX_CHUNKS);
        int[] sizes = {t.getBusDeltaCount(), t.getMessageDeltaCount(), t.getSignalIdDeltaCount(), t.getFrameIdDeltaCount(), t.getEncodingCount(), t.getCodecCount(),
                t.getCountCount(), t.getFirstTimestampDeltaUsCount(), t.getTimestampUnitUsCount(), t.getTimestampsSameAsCount(),
                t.getTimestampsLengthCount(), t.getValuesLengthCount(), t.getFactorCount(), t.getOffsetCount(), t.getTimestampsRefCount(), t.getTimestampsCodecCount()};
        for (int size : sizes) if (size != chunks) throw new WireException("batch " + seq + ": chunk table columns disagree (" + chunks + " signals, a column of " + size + ")");
        byte[] ts = t.getTimestamps().toByteArray();
        byte[] values = t.getValues().toByteArray();
        long total = 0;
        for (int i = 0; i < chunks; i++) total += checkCount(t.getCount(i), total, seq, i);
        long[] tsOffset = new long[chunks + 1];
        long[] valOffset = new long[chunks + 1];
        for (int i = 0; i < chunks; i++) {
            tsOffset[i + 1] = tsOffset[i] + Integer.toUnsignedLong(t.getTimestampsLength(i));
            valOffset[i + 1] = valOffset[i] + Integer.toUnsignedLong(t.getValuesLength(i));
        }
        if (tsOffset[chunks] != ts.length) throw new WireException("batch " + seq + ": timestamp streams add up to " + tsOffset[chunks] + " bytes, the table holds " + ts.length);
        if (valOffset[chunks] != values.length) throw new WireException("batch " + seq + ": value streams add up to " + valOffset[chunks] + " bytes, the table holds " + values.length);
        long first = 0;
        long bus = 0, msg = 0;
        long[][] ownTimestamps = new long[chunks][];
        long[] raws = new long[0];
        for (int i = 0; i < chunks; i++) {
            int count = t.getCount(i);
            first += t.getFirstTimestampDeltaUs(i);
            bus += t.getBusDelta(i);
            msg += t.getMessageDelta(i);
            if (bus < 0 || bus >= t.getBusesCount() || msg < 0 || msg >= t.getMessagesCount()) {
                throw new WireException("batch " + seq + " chunk " + (i + 1) + ": bus/message index out of range");
            }
            String busName = t.getBuses((int) bus), message = t.getMessages((int) msg), signal = t.getSignal(i);
            ValueEncoding enc = encodingOf(t.getEncodingValue(i), seq, i);
            String where = "batch " + seq + " chunk " + (i + 1) + " (" + message + "." + signal + ")";
            long[] times;
            int same = t.getTimestampsSameAs(i);
            if (same != 0) {
                int src = same - 1;
                if (src < 0 || src >= i || ownTimestamps[src] == null) throw new WireException(where + ": timestamps_same_as " + Integer.toUnsignedString(same) + " is not an earlier chunk with its own timestamps");
                if (t.getCount(src) != count) throw new WireException(where + ": shares timestamps with a chunk of " + t.getCount(src) + " samples but has " + count);
                if (t.getTimestampsLength(i) != 0 || t.getTimestampsRef(i) != 0 || t.getTimestampsCodec(i) != 0) throw new WireException(where + ": shares timestamps but has its own stream");
                times = ownTimestamps[src];
            } else {
                int tsLen = t.getTimestampsLength(i);
                int ref = t.getTimestampsRef(i);
                int tsCodec = t.getTimestampsCodec(i);
                if (tsCodec != 0 && tsCodec != 1) throw new WireException(where + ": unknown timestamp codec " + Integer.toUnsignedString(tsCodec));
                // every sample after the first costs at least one byte (two against a reference)
                if (count > 1 && Integer.toUnsignedLong(tsLen) < (long) (count - 1) * (ref == 0 ? 1 : 2)) {
                    throw new WireException(where + ": count " + count + " is more than its " + Integer.toUnsignedString(tsLen) + " timestamp bytes can hold");
                }
                times = new long[count];
                try {
                    if (ref == 0) {
                        long unit = t.getTimestampUnitUs(i);
                        if (unit < 1) throw new WireException(where + ": timestamp unit " + Long.toUnsignedString(unit) + " is not >= 1");
                        if (tsCodec == 0) TimestampCodec.decode(ts, (int) tsOffset[i], tsLen, first, unit, count, times);
                        else TimestampCodec.decodePeriodic(ts, (int) tsOffset[i], tsLen, first, unit, count, times);
                    } else {
                        int r = ref - 1;
                        if (r < 0 || r >= i || ownTimestamps[r] == null) throw new WireException(where + ": timestamps_ref " + Integer.toUnsignedString(ref) + " is not an earlier chunk with its own timestamps");
                        if (tsCodec == 0) TimestampCodec.decodeAgainst(ts, (int) tsOffset[i], tsLen, first, count, ownTimestamps[r], ownTimestamps[r].length, times);
                        else TimestampCodec.decodeAgainstMedian(ts, (int) tsOffset[i], tsLen, first, count, ownTimestamps[r], ownTimestamps[r].length, times);
                    }
                } catch (CodecException e) {
                    throw new WireException(where + ": " + e.getMessage(), e);
                }
                ownTimestamps[i] = times;
            }
            if (count > 0 && times[0] != first) throw new WireException(where + ": first timestamp " + first + " disagrees with its shared stream's " + times[0]);
            if (raws.length < count) raws = new long[count];
            try {
                ColumnCodec.decode(ColumnCodec.ofCode(t.getCodec(i)), values, (int) valOffset[i], (int) (valOffset[i + 1] - valOffset[i]), count, enc, raws);
            } catch (CodecException e) {
                throw new WireException(where + ": " + e.getMessage(), e);
            }
            double factor = t.getFactor(i), offset = t.getOffset(i);
            for (int k = 0; k < count; k++) visitor.sample(times[k], busName, message, signal, raws[k], enc.physical(raws[k], factor, offset));
        }
        return total;
    }

    private static ValueEncoding encodingOf(int code, long seq, int i) throws WireException {
        try {
            return ValueEncoding.ofCode(code);
        } catch (CodecException e) {
            throw new WireException("batch " + seq + " chunk " + (i + 1) + ": " + e.getMessage(), e);
        }
    }

    /** The physical value, as the DBC decoder computes it: raw (the IEEE value for float signals) × factor + offset. */
    public static double physical(ValueEncoding enc, long raw, double factor, double offset) {
        return enc.physical(raw, factor, offset);
    }
}
