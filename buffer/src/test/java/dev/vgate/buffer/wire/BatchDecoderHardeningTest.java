package dev.vgate.buffer.wire;

import com.google.protobuf.ByteString;
import dev.vgate.buffer.pack.BusDatabases;
import dev.vgate.buffer.pack.TelemetryPacker;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.protocol.telemetry.Chunk;
import dev.vgate.protocol.telemetry.ChunkList;
import dev.vgate.protocol.telemetry.ChunkTable;
import dev.vgate.protocol.telemetry.Encoding;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile batches (issue 18, case 1 and the missing checksum of uncompressed batches): each is refused with
 * a WireException, and decoding it allocates a bounded amount of memory, whatever sizes it claims.
 */
class BatchDecoderHardeningTest {
    /** Decoding any refused batch below may allocate at most this much (the limits are 16 MiB of payload, a 32 MiB xz decoder). */
    private static final long ALLOCATION_BOUND = 80L << 20;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Decodes {@code bytes} as one batch; it must be refused, within the allocation bound; returns the message. */
    private static String refused(byte[] bytes) {
        long before = allocatedBytes();
        WireException e = assertThrows(WireException.class, () -> {
            TelemetryBatch b = BatchDecoder.parse(bytes);
            BatchDecoder.visit(b, (t, bus, m, s, raw, v) -> { });
        });
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < ALLOCATION_BOUND, "refusing it allocated " + (allocated >> 20) + " MiB: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("Exception"), "one line, no class names: " + e.getMessage());
        return e.getMessage();
    }

    @Test void theFiftyFiveByteBatchClaimingTwoBillionSamplesIsRefused() {
        ChunkList list = ChunkList.newBuilder().addChunks(Chunk.newBuilder().setBus("can0").setMessage("M").setSignal("S")
                .setEncoding(Encoding.DELTA_ZIGZAG).setCount(Integer.MAX_VALUE).setTimestampUnitUs(1)
                .setTimestamps(ByteString.copyFrom(new byte[] {2, 2})).setValues(ByteString.copyFrom(new byte[] {2, 2}))).build();
        byte[] batch = TelemetryBatch.newBuilder().setSchemaVersion(1).setSequence(1).setCompressionValue(Compression.DEFLATE.code())
                .setPayload(ByteString.copyFrom(Compression.DEFLATE.compress(list.toByteArray()))).build().toByteArray();
        assertTrue(batch.length < 64, "a small batch: " + batch.length + " bytes");
        String msg = refused(batch);
        assertTrue(msg.contains("count"), msg);
    }

    @Test void aSchemaTwoTableClaimingHugeCountsIsRefused() {
        ChunkTable t = ChunkTable.newBuilder().addBuses("can0").addMessages("M").addBusDelta(0).addMessageDelta(0).addSignal("S")
                .addSignalIdDelta(0).addFrameIdDelta(1).addEncoding(Encoding.DELTA_ZIGZAG).addCodec(0).addCount(2_000_000)
                .addFirstTimestampDeltaUs(0).addTimestampUnitUs(1).addTimestampsSameAs(0).addTimestampsLength(0).addValuesLength(1)
                .addFactor(1).addOffset(0).addTimestampsRef(0).addTimestampsCodec(0).setValues(ByteString.copyFrom(new byte[] {0})).build();
        String msg = refused(schema2(t.toByteArray(), Compression.XZ, 2_000_000));
        assertTrue(msg.contains("timestamp bytes"), msg);
        ChunkTable over = t.toBuilder().setCount(0, Integer.MAX_VALUE).build();
        assertTrue(refused(schema2(over.toByteArray(), Compression.XZ, 0)).contains("count"));
    }

    @Test void anXzBombIsStoppedAtTheDecompressedLimit() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(bomb, new LZMA2Options(1))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 320; i++) xz.write(zeros); // 320 MiB of zeros, ~50 KB compressed
        }
        assertTrue(bomb.size() < 100_000, "bomb is " + bomb.size() + " bytes");
        String msg = refused(schema1(bomb.toByteArray(), Compression.XZ));
        assertTrue(msg.contains("expands beyond"), msg);
    }

    @Test void anXzStreamDeclaringAHugeDictionaryIsRefusedBeforeAllocatingIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LZMA2Options o = new LZMA2Options(6);
        o.setDictSize(1 << 20);
        try (XZOutputStream xz = new XZOutputStream(out, o)) {
            xz.write("hello".getBytes());
        }
        byte[] xz = out.toByteArray();
        // block header after the 12-byte stream header: size, flags 0x00, filter 0x21, 1 property byte, padding, CRC32
        assertEquals(0x21, xz[14] & 0xFF, "LZMA2 filter id");
        xz[16] = 37; // dictionary size (2|1) << (37/2 + 11) = 1.5 GiB
        int headerSize = ((xz[12] & 0xFF) + 1) * 4;
        CRC32 crc = new CRC32();
        crc.update(xz, 12, headerSize - 4);
        long c = crc.getValue();
        for (int k = 0; k < 4; k++) xz[12 + headerSize - 4 + k] = (byte) (c >>> (8 * k));
        String msg = refused(schema1(xz, Compression.XZ));
        assertTrue(msg.contains("KiB") && msg.contains("limit"), msg);
    }

    @Test void flippedBytesInAnUncompressedBatchAreDetected() throws Exception {
        String dbc = "VERSION \"\"\n\nNS_ :\n\nBS_:\n\nBU_: ECU\n\nBO_ 256 Drive: 8 ECU\n SG_ Speed : 0|16@1+ (0.01,0) [0|0] \"\" ECU\n SG_ Torque : 16|16@1- (0.5,-100) [0|0] \"\" ECU\n";
        DbcDatabase db = DbcDatabase.parse(dbc, "drive.dbc");
        StringBuilder log = new StringBuilder();
        Random rnd = new Random(18);
        for (int i = 0; i < 2000; i++) {
            log.append(String.format("(%d.%06d) can0 100#%04X%04X00000000%n", 100 + i / 100, (i % 100) * 10_000 + rnd.nextInt(50), rnd.nextInt(65536), rnd.nextInt(65536)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TelemetryPacker(new BusDatabases().put("can0", db), CollectionPolicy.everySample(),
                UploaderConfig.defaults("flip").withCompression(Compression.NONE), 1000).pack(new BufferedReader(new StringReader(log.toString())), "flip", out);
        TelemetryBatch batch = BatchDecoder.readDelimited(new ByteArrayInputStream(out.toByteArray()));
        byte[] good = batch.toByteArray();
        BatchDecoder.visit(BatchDecoder.parse(good), (t, b, m, s, raw, v) -> { }); // intact: decodes
        int payloadStart = indexOf(good, batch.getPayload().toByteArray());
        int flips = 0;
        for (int k = 0; k < 22; k++) {
            byte[] bad = good.clone();
            int at = payloadStart + rnd.nextInt(batch.getPayload().size());
            bad[at] ^= (byte) (1 << rnd.nextInt(8));
            refused(bad);
            flips++;
        }
        assertEquals(22, flips);
        // the previous format had no checksum when uncompressed: it is refused rather than trusted
        assertTrue(refused(schema1(new byte[] {0}, Compression.NONE)).contains("integrity"));
    }

    @Test void aLengthPrefixClaimingGigabytesIsRefusedBeforeReading() {
        byte[] stream = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 1, 2, 3};
        WireException e = assertThrows(WireException.class, () -> BatchDecoder.readDelimited(new ByteArrayInputStream(stream)));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("payload not found");
    }

    private static byte[] schema1(byte[] payload, Compression c) {
        return TelemetryBatch.newBuilder().setSchemaVersion(1).setSequence(7).setCompressionValue(c.code())
                .setPayload(ByteString.copyFrom(payload)).build().toByteArray();
    }

    private static byte[] schema2(byte[] plain, Compression c, int samples) {
        return TelemetryBatch.newBuilder().setSchemaVersion(2).setSequence(7).setCompressionValue(c.code()).setSampleCount(samples)
                .setPayload(ByteString.copyFrom(c.compress(plain))).setCrc32C(BatchEncoder.crc32c(7, samples, plain)).build().toByteArray();
    }
}
