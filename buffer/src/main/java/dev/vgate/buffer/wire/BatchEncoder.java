package dev.vgate.buffer.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.vgate.buffer.codec.ByteSink;
import dev.vgate.buffer.codec.CodecException;
import dev.vgate.buffer.codec.ColumnCodec;
import dev.vgate.buffer.codec.TimestampCodec;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.protocol.telemetry.Chunk;
import dev.vgate.protocol.telemetry.ChunkList;
import dev.vgate.protocol.telemetry.ChunkTable;
import dev.vgate.protocol.telemetry.DataLoss;
import dev.vgate.protocol.telemetry.Encoding;
import dev.vgate.protocol.telemetry.Priority;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a stored batch into its wire form. The store's one-window chunks of a stream are merged into one long
 * chunk (long runs encode and compress better); a chunk whose timestamps equal an earlier chunk's (signals of
 * the same frame) refers to it instead of repeating them; the chunk list is then compressed as a whole.
 * Schema 2 (the default) writes the chunk descriptions as columns, names once per batch, each value stream
 * in the codec its data favours ({@link ColumnCodec#choose}), and a CRC-32C; schema 1 is the previous format
 * (kept for the side-by-side benchmark and decoders of old files).
 * Deterministic: the same stored batch always gives the same bytes.
 */
public final class BatchEncoder {
    /** The schema vgate writes. */
    public static final int SCHEMA_VERSION = 2;
    /** The previous schema: still decoded, and written on request (benchmarks). */
    public static final int PREVIOUS_SCHEMA_VERSION = 1;

    private final String vehicleId;
    private final Compression compression;
    private final int schema;
    private final ByteSink scratch = new ByteSink(1 << 12);
    private final int keptTimestamps;

    public BatchEncoder(String vehicleId, Compression compression) { this(vehicleId, compression, SCHEMA_VERSION); }

    public BatchEncoder(String vehicleId, Compression compression, int schema) {
        this(vehicleId, compression, schema, KEPT_TIMESTAMPS);
    }

    /** {@code keptTimestamps}: the bound of the reference search's kept timestamps (tests: 0 decodes every candidate again). */
    BatchEncoder(String vehicleId, Compression compression, int schema, int keptTimestamps) {
        if (schema != SCHEMA_VERSION && schema != PREVIOUS_SCHEMA_VERSION) throw new IllegalArgumentException("schema " + schema + " is not 1 or 2");
        this.vehicleId = vehicleId;
        this.compression = compression;
        this.schema = schema;
        this.keptTimestamps = keptTimestamps;
    }

    public Compression compression() { return compression; }

    public int schemaVersion() { return schema; }

    /**
     * One stream's stored chunks in the batch, decoded only while the stream is encoded: merged columns of every
     * stream at once were 16 B per sample (32 MB for a 2 M-sample batch), which ran the daemon's small heap out
     * (docs/benchmarks.md, "Footprint"); the stored chunks the batch already holds are bounded by bytes.
     */
    private static final class Stream {
        final StreamInfo info;
        final List<EncodedChunk> chunks = new ArrayList<>(2);
        int size; // decoded samples, once encoded

        Stream(StreamInfo info) { this.info = info; }

        /** Decodes the stream's chunks into {@code into} (cleared first), in the batch's order. */
        SampleColumn decodeInto(SampleColumn into) throws CodecException {
            into.clear();
            for (EncodedChunk c : chunks) c.decodeInto(into);
            size = into.size();
            return into;
        }
    }

    private int encodedSamples;

    public synchronized TelemetryBatch encode(BatchRecord batch) throws WireException {
        Map<Integer, Stream> streams = new LinkedHashMap<>();
        for (StoredChunk c : batch.chunks()) streams.computeIfAbsent(c.streamId(), k -> new Stream(c.stream())).chunks.add(c.chunk());
        encodedSamples = 0;
        byte[] plain;
        try {
            plain = schema == PREVIOUS_SCHEMA_VERSION ? chunkList(streams.values()) : chunkTable(streams.values());
        } catch (CodecException e) {
            throw new WireException("batch " + batch.sequence() + " holds a corrupt chunk: " + e.getMessage(), e);
        }
        int samples = encodedSamples;
        byte[] payload = compression.compress(plain);
        TelemetryBatch.Builder b = TelemetryBatch.newBuilder()
                .setSchemaVersion(schema).setVehicleId(vehicleId).setSequence(batch.sequence())
                .setPriority(Priority.forNumber(batch.priority().code())).setCompression(dev.vgate.protocol.telemetry.Compression.forNumber(compression.code()))
                .setPayload(UnsafeByteOperations.unsafeWrap(payload)).setSampleCount(samples).setCreatedUnixMs(batch.createdUnixMs())
                .setDataLoss(DataLoss.newBuilder().setEvictedBulk(batch.dataLoss().evictedBulk())
                        .setEvictedNormal(batch.dataLoss().evictedNormal()).setDownsampled(batch.dataLoss().downsampled()));
        if (schema >= 2) b.setCrc32C(crc32c(batch.sequence(), samples, plain));
        return b.build();
    }

    /** The integrity check of schema 2: CRC-32C over sequence (8 bytes BE), sample count (4 bytes BE) and the plain payload. */
    public static int crc32c(long sequence, int sampleCount, byte[] plainPayload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(12).putLong(sequence).putInt(sampleCount).flip());
        crc.update(plainPayload);
        return (int) crc.getValue();
    }

    /** How many earlier timestamp streams are tried as the reference of a new one. */
    private static final int REFERENCE_CANDIDATES = 8;
    /**
     * Timestamps of earlier streams kept for the reference search (longs, 2 MiB): the newest are kept, an older
     * candidate is decoded again from its stored chunks, so the bytes do not depend on this bound.
     */
    static final int KEPT_TIMESTAMPS = 1 << 18;

    /** Schema 2: columns, chunks ordered by bus, frame and signal so that a frame's signals sit together. */
    private byte[] chunkTable(Iterable<Stream> streams) throws WireException, CodecException {
        List<Stream> order = new ArrayList<>();
        streams.forEach(order::add);
        order.sort(Comparator.comparing((Stream m) -> m.info.bus()).thenComparingInt(m -> m.info.frameId())
                .thenComparing(m -> m.info.message()).thenComparingInt(m -> m.info.signalIndex()).thenComparing(m -> m.info.signal()));
        SampleColumn col = new SampleColumn(); // the stream being encoded
        SampleColumn other = new SampleColumn(); // a reference candidate that is no longer kept
        Map<Integer, long[]> keptTs = new HashMap<>();
        ArrayDeque<Integer> keptOrder = new ArrayDeque<>();
        long kept = 0;
        ChunkTable.Builder t = ChunkTable.newBuilder();
        Map<String, Integer> buses = new HashMap<>();
        Map<String, Integer> messages = new HashMap<>();
        Map<ByteBuffer, Integer> seenTimestamps = new HashMap<>();
        List<Integer> ownStreams = new ArrayList<>();
        ByteSink ts = new ByteSink(1 << 12);
        ByteSink values = new ByteSink(1 << 14);
        ByteSink plainTs = new ByteSink(1 << 12);
        ByteSink refTs = new ByteSink(1 << 12);
        int[] hist = new int[256];
        long prevFirst = 0, prevFrame = 0;
        int prevBus = 0, prevMessage = 0, prevSignal = 0;
        for (int i = 0; i < order.size(); i++) {
            StreamInfo s = order.get(i).info;
            order.get(i).decodeInto(col);
            int n = col.size();
            encodedSamples += n;
            int bus = buses.computeIfAbsent(s.bus(), k -> { t.addBuses(k); return buses.size(); });
            int message = messages.computeIfAbsent(s.message(), k -> { t.addMessages(k); return messages.size(); });
            t.addBusDelta(bus - prevBus).addMessageDelta(message - prevMessage).addSignal(s.signal())
                    .addSignalIdDelta(s.signalIndex() - prevSignal).addFrameIdDelta((long) s.frameId() - prevFrame)
                    .addEncodingValue(s.encoding().code()).addCount(n).addFactor(s.factor()).addOffset(s.offset());
            prevBus = bus;
            prevMessage = message;
            prevSignal = s.signalIndex();
            prevFrame = s.frameId();
            long first = col.timestamp(0);
            t.addFirstTimestampDeltaUs(first - prevFirst);
            prevFirst = first;
            long unit = TimestampCodec.unit(col.timestamps(), n);
            plainTs.reset();
            TimestampCodec.encode(col.timestamps(), n, unit, plainTs);
            ByteBuffer key = ByteBuffer.allocate(20 + plainTs.size());
            key.putLong(first).putLong(unit).putInt(n).put(plainTs.buffer(), 0, plainTs.size()).flip();
            Integer same = seenTimestamps.get(key);
            if (same != null) {
                t.addTimestampsSameAs(same).addTimestampsLength(0).addTimestampsRef(0).addTimestampsCodec(0).addTimestampUnitUs(unit);
            } else {
                seenTimestamps.put(key, i + 1);
                // candidates: delta-of-delta, deltas from the period, and, for a frame sent right after
                // another by the same ECU, offsets to that frame's timestamps; the cheapest by estimate wins
                ByteSink best = plainTs;
                double bestCost = ColumnCodec.estimate(plainTs, hist);
                int bestRef = -1, bestCodec = 0;
                refTs.reset();
                TimestampCodec.encodePeriodic(col.timestamps(), n, unit, refTs);
                double cost = ColumnCodec.estimate(refTs, hist);
                if (cost < bestCost) {
                    bestCost = cost;
                    bestCodec = 1;
                    best = refTs.copy();
                }
                for (int k = ownStreams.size() - 1, tried = 0; k >= 0 && tried < REFERENCE_CANDIDATES; k--) {
                    Stream r = order.get(ownStreams.get(k));
                    int rn = r.size;
                    if (!r.info.bus().equals(s.bus()) || n < 8 || rn < n * 9L / 10 || rn > n * 11L / 10) continue;
                    tried++;
                    long[] rts = keptTs.get(ownStreams.get(k));
                    if (rts == null) rts = r.decodeInto(other).timestamps();
                    for (int c = 0; c < 2; c++) {
                        refTs.reset();
                        if (c == 0) TimestampCodec.encodeAgainst(col.timestamps(), n, rts, rn, refTs);
                        else TimestampCodec.encodeAgainstMedian(col.timestamps(), n, rts, rn, refTs);
                        cost = ColumnCodec.estimate(refTs, hist);
                        if (cost < bestCost) {
                            bestCost = cost;
                            bestRef = ownStreams.get(k);
                            bestCodec = c;
                            best = refTs.copy();
                        }
                    }
                }
                if (bestRef >= 0) unit = 1;
                t.addTimestampsSameAs(0).addTimestampsLength(best.size()).addTimestampsRef(bestRef + 1).addTimestampsCodec(bestCodec).addTimestampUnitUs(unit);
                ts.write(best.buffer(), 0, best.size());
                ownStreams.add(i);
                if (n <= keptTimestamps) {
                    keptTs.put(i, Arrays.copyOf(col.timestamps(), n));
                    keptOrder.add(i);
                    kept += n;
                    while (kept > keptTimestamps) kept -= keptTs.remove(keptOrder.poll()).length;
                }
            }
            ColumnCodec codec = ColumnCodec.choose(col.raws(), n, s.encoding(), scratch);
            int before = values.size();
            ColumnCodec.encode(codec, col.raws(), n, s.encoding(), values);
            t.addCodec(codec.code()).addValuesLength(values.size() - before);
        }
        // wrapped, not copied: the sinks are not written again, and the message is serialized at once
        t.setTimestamps(UnsafeByteOperations.unsafeWrap(ts.buffer(), 0, ts.size())).setValues(UnsafeByteOperations.unsafeWrap(values.buffer(), 0, values.size()));
        return t.build().toByteArray();
    }

    /** Schema 1: one Chunk message per stream. */
    private byte[] chunkList(Iterable<Stream> streams) throws WireException, CodecException {
        ChunkList.Builder list = ChunkList.newBuilder();
        Map<ByteBuffer, Integer> seenTimestamps = new HashMap<>();
        SampleColumn col = new SampleColumn();
        for (Stream m : streams) {
            StreamInfo s = m.info;
            m.decodeInto(col);
            encodedSamples += col.size();
            // schema 1 has no unsigned-64 kind: such a stream travels as a plain integer
            ValueEncoding kind = s.encoding() == ValueEncoding.DELTA_ZIGZAG_UNSIGNED64 ? ValueEncoding.DELTA_ZIGZAG : s.encoding();
            EncodedChunk enc = EncodedChunk.encode(kind, col);
            Chunk.Builder b = Chunk.newBuilder()
                    .setSignalId(s.signalIndex()).setBus(s.bus()).setMessage(s.message()).setSignal(s.signal())
                    .setFrameId(s.frameId()).setEncoding(Encoding.forNumber(kind.code()))
                    .setCount(enc.count()).setFirstTimestampUs(enc.firstTimestampUs()).setTimestampUnitUs((int) Math.min(enc.timestampUnitUs(), Integer.MAX_VALUE))
                    .setValues(ByteString.copyFrom(enc.values())).setFactor(s.factor()).setOffset(s.offset());
            if (enc.timestampUnitUs() > Integer.MAX_VALUE) throw new WireException("timestamp unit " + enc.timestampUnitUs() + " µs does not fit the wire");
            ByteBuffer key = timestampKey(enc);
            Integer same = seenTimestamps.get(key);
            if (same != null) b.setTimestampsSameAs(same);
            else {
                b.setTimestamps(ByteString.copyFrom(enc.timestamps()));
                seenTimestamps.put(key, list.getChunksCount() + 1);
            }
            list.addChunks(b);
        }
        return list.build().toByteArray();
    }

    private static ByteBuffer timestampKey(EncodedChunk c) {
        ByteBuffer k = ByteBuffer.allocate(20 + c.timestamps().length);
        k.putLong(c.firstTimestampUs()).putLong(c.timestampUnitUs()).putInt(c.count()).put(c.timestamps()).flip();
        return k;
    }
}
