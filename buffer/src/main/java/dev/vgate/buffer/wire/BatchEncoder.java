package dev.vgate.buffer.wire;

import com.google.protobuf.ByteString;
import dev.vgate.buffer.codec.CodecException;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.protocol.telemetry.Chunk;
import dev.vgate.protocol.telemetry.ChunkList;
import dev.vgate.protocol.telemetry.DataLoss;
import dev.vgate.protocol.telemetry.Encoding;
import dev.vgate.protocol.telemetry.Priority;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a stored batch into its wire form. The store's one-window chunks of a stream are merged into one long
 * chunk (long runs encode and compress better); a chunk whose timestamps equal an earlier chunk's (signals of
 * the same frame) refers to it instead of repeating them; the chunk list is then compressed as a whole.
 * Deterministic: the same stored batch always gives the same bytes.
 */
public final class BatchEncoder {
    public static final int SCHEMA_VERSION = 1;

    private final String vehicleId;
    private final Compression compression;

    public BatchEncoder(String vehicleId, Compression compression) {
        this.vehicleId = vehicleId;
        this.compression = compression;
    }

    public Compression compression() { return compression; }

    public TelemetryBatch encode(BatchRecord batch) throws WireException {
        Map<Integer, SampleColumn> merged = new LinkedHashMap<>();
        Map<Integer, StreamInfo> infos = new HashMap<>();
        try {
            for (StoredChunk c : batch.chunks()) {
                SampleColumn col = merged.computeIfAbsent(c.streamId(), k -> new SampleColumn(c.chunk().count()));
                c.chunk().decodeInto(col);
                infos.put(c.streamId(), c.stream());
            }
        } catch (CodecException e) {
            throw new WireException("batch " + batch.sequence() + " holds a corrupt chunk: " + e.getMessage(), e);
        }
        ChunkList.Builder list = ChunkList.newBuilder();
        Map<ByteBuffer, Integer> seenTimestamps = new HashMap<>();
        int samples = 0;
        for (Map.Entry<Integer, SampleColumn> e : merged.entrySet()) {
            StreamInfo s = infos.get(e.getKey());
            EncodedChunk enc = EncodedChunk.encode(s.encoding(), e.getValue());
            samples += enc.count();
            Chunk.Builder b = Chunk.newBuilder()
                    .setSignalId(s.signalIndex()).setBus(s.bus()).setMessage(s.message()).setSignal(s.signal())
                    .setFrameId(s.frameId()).setEncoding(Encoding.forNumber(s.encoding().code()))
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
        byte[] payload = compression.compress(list.build().toByteArray());
        return TelemetryBatch.newBuilder()
                .setSchemaVersion(SCHEMA_VERSION).setVehicleId(vehicleId).setSequence(batch.sequence())
                .setPriority(Priority.forNumber(batch.priority().code())).setCompression(dev.vgate.protocol.telemetry.Compression.forNumber(compression.code()))
                .setPayload(ByteString.copyFrom(payload)).setSampleCount(samples).setCreatedUnixMs(batch.createdUnixMs())
                .setDataLoss(DataLoss.newBuilder().setEvictedBulk(batch.dataLoss().evictedBulk())
                        .setEvictedNormal(batch.dataLoss().evictedNormal()).setDownsampled(batch.dataLoss().downsampled()))
                .build();
    }

    private static ByteBuffer timestampKey(EncodedChunk c) {
        ByteBuffer k = ByteBuffer.allocate(20 + c.timestamps().length);
        k.putLong(c.firstTimestampUs()).putLong(c.timestampUnitUs()).putInt(c.count()).put(c.timestamps()).flip();
        return k;
    }
}
