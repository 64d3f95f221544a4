package dev.vgate.buffer.wire;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.DataLoss;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic stored batch shaped like a busy car's backlog: {@code frames} frame ids on two buses, 8 signals
 * each (a frame's signals share its timestamps), jittered periods, random-walk values, cut into 1 s chunks as
 * the group commit stores them. Run as a main in a JVM with a small heap, it encodes the batch and prints
 * "encoded SAMPLES BYTES" (BatchEncoderMemoryTest).
 */
final class BigBatch {
    private BigBatch() {}

    static BatchRecord make(int frames, int samplesPerSignal, int windows, long seed) {
        Random rnd = new Random(seed);
        List<StoredChunk> chunks = new ArrayList<>();
        int perWindow = samplesPerSignal / windows;
        long row = 0;
        for (int w = 0; w < windows; w++) {
            for (int f = 0; f < frames; f++) {
                String bus = f % 2 == 0 ? "pcan" : "ccan";
                long periodUs = 1_000 + 100L * (f % 50);
                long[] ts = new long[perWindow];
                long t = 1_700_000_000_000_000L + (long) w * perWindow * periodUs + f * 37L;
                for (int i = 0; i < perWindow; i++) ts[i] = t += periodUs + rnd.nextInt(40) - 20;
                for (int s = 0; s < 8; s++) {
                    int streamId = f * 8 + s;
                    SampleColumn c = new SampleColumn(perWindow);
                    long v = rnd.nextInt(1000);
                    for (int i = 0; i < perWindow; i++) c.add(ts[i], v += rnd.nextInt(3) - 1);
                    StreamInfo info = new StreamInfo(bus, "MSG_" + f, "SIG_" + s, s, 0x100 + f, ValueEncoding.DELTA_ZIGZAG, 0.5, -10);
                    chunks.add(new StoredChunk(++row, info, streamId, EncodedChunk.encode(ValueEncoding.DELTA_ZIGZAG, c)));
                }
            }
        }
        return new BatchRecord(1, Priority.NORMAL, 1_700_000_000_000L, DataLoss.NONE, chunks);
    }

    /** args: frames samplesPerSignal windows. */
    public static void main(String[] args) throws Exception {
        BatchRecord b = make(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), 1);
        TelemetryBatch out = new BatchEncoder("v", Compression.NONE).encode(b);
        System.out.println("encoded " + out.getSampleCount() + " " + out.getSerializedSize());
    }
}
