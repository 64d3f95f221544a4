package dev.vgate.buffer.codec;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodedChunkTest {

    private static SampleColumn roundTrip(ValueEncoding enc, SampleColumn in) throws CodecException {
        return EncodedChunk.encode(enc, in).decode();
    }

    private static void assertSame(SampleColumn a, SampleColumn b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.timestamp(i), b.timestamp(i), "timestamp " + i);
            assertEquals(a.raw(i), b.raw(i), "raw " + i);
        }
    }

    @Test void deltaZigzagIsExactForExtremeAndRandomValues() throws Exception {
        SampleColumn c = new SampleColumn();
        long[] raws = {0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0xFFFFFFFFL, -123456789L, Long.MIN_VALUE, Long.MAX_VALUE};
        long t = 1_700_000_000_000_000L;
        for (long r : raws) c.add(t += 10_000, r);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 5000; i++) c.add(t += rnd.nextInt(0, 20_000), rnd.nextLong());
        assertSame(c, roundTrip(ValueEncoding.DELTA_ZIGZAG, c));
    }

    @Test void periodicSignalCostsAboutOneByteOfTimestampPerSample() throws Exception {
        SampleColumn c = new SampleColumn();
        SplittableRandom rnd = new SplittableRandom(1);
        long t = 5_000_000;
        for (int i = 0; i < 1000; i++) c.add(t += 10_000 + rnd.nextInt(-30, 31), 1000 + i / 100);
        EncodedChunk e = EncodedChunk.encode(ValueEncoding.DELTA_ZIGZAG, c);
        assertTrue(e.timestamps().length <= 1000 + 2, "DoD of ±60 µs jitter fits one byte per sample, got " + e.timestamps().length);
        assertTrue(e.values().length <= 1002, "slowly moving value: one byte per sample, got " + e.values().length);
        assertSame(c, e.decode());
    }

    @Test void coarseLoggerClockIsEncodedInUnitsOfItsResolution() throws Exception {
        SampleColumn c = new SampleColumn();
        long t = 1953_613_500L;
        for (int i = 0; i < 100; i++) c.add(t += 10_000 + (i % 3) * 100, 7);
        EncodedChunk e = EncodedChunk.encode(ValueEncoding.DELTA_ZIGZAG, c);
        assertEquals(100, e.timestampUnitUs());
        assertSame(c, e.decode());
    }

    @Test void timestampsMayGoBackwards() throws Exception {
        SampleColumn c = new SampleColumn();
        long[] ts = {100, 90, 90, 5_000_000_000L, -7, 3};
        for (long t : ts) c.add(t, t * 3);
        assertSame(c, roundTrip(ValueEncoding.DELTA_ZIGZAG, c));
    }

    @Test void xorIsExactForDoublesIncludingNaNAndSignedZero() throws Exception {
        SampleColumn c = new SampleColumn();
        double[] vs = {0.0, -0.0, Double.NaN, 1.5, 1.5, 1.5000001, Double.MAX_VALUE, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, 355.2, 355.3};
        long t = 0;
        for (double v : vs) c.add(t += 1000, Double.doubleToRawLongBits(v));
        long nanWithPayload = 0x7FF8_0000_0000_1234L;
        c.add(t += 1000, nanWithPayload);
        SplittableRandom rnd = new SplittableRandom(7);
        double walk = 48.1;
        for (int i = 0; i < 3000; i++) c.add(t += 1000, Double.doubleToRawLongBits(walk += rnd.nextDouble(-0.001, 0.001)));
        SampleColumn back = roundTrip(ValueEncoding.XOR_FLOAT64, c);
        assertSame(c, back);
    }

    @Test void xorFloat32KeepsTheUnsigned32BitRaw() throws Exception {
        SampleColumn c = new SampleColumn();
        float[] vs = {0f, -0f, Float.NaN, 3.25f, -3.25f, Float.MAX_VALUE, 3.25f};
        long t = 0;
        for (float v : vs) c.add(t += 1, Float.floatToRawIntBits(v) & 0xFFFFFFFFL);
        SampleColumn back = roundTrip(ValueEncoding.XOR_FLOAT32, c);
        assertSame(c, back);
        assertEquals(Float.floatToRawIntBits(-3.25f) & 0xFFFFFFFFL, back.raw(4));
    }

    @Test void repeatedFloatsCostOneBitEach() {
        SampleColumn c = new SampleColumn();
        for (int i = 0; i < 800; i++) c.add(i, Double.doubleToRawLongBits(12.5));
        EncodedChunk e = EncodedChunk.encode(ValueEncoding.XOR_FLOAT64, c);
        assertEquals(8 + 100, e.values().length);
    }

    @Test void truncatedOrPaddedDataIsACodecError() {
        SampleColumn c = new SampleColumn();
        for (int i = 0; i < 10; i++) c.add(i * 1000L, i * 1_000_000L);
        EncodedChunk e = EncodedChunk.encode(ValueEncoding.DELTA_ZIGZAG, c);
        byte[] shortVals = java.util.Arrays.copyOf(e.values(), e.values().length - 1);
        CodecException ex = assertThrows(CodecException.class, () ->
                new EncodedChunk(e.encoding(), e.count(), e.firstTimestampUs(), e.timestampUnitUs(), e.timestamps(), shortVals).decode());
        assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
        byte[] longTs = java.util.Arrays.copyOf(e.timestamps(), e.timestamps().length + 1);
        ex = assertThrows(CodecException.class, () ->
                new EncodedChunk(e.encoding(), e.count(), e.firstTimestampUs(), e.timestampUnitUs(), longTs, e.values()).decode());
        assertTrue(ex.getMessage().contains("left after"), ex.getMessage());
        assertThrows(CodecException.class, () -> new EncodedChunk(ValueEncoding.XOR_FLOAT64, 3, 0, 1, new byte[] {0, 0}, new byte[] {1, 2, 3}).decode());
    }

    @Test void varintZigzagMapsSmallMagnitudesToSmallCodes() throws CodecException {
        assertEquals(0, Varint.zigzag(0));
        assertEquals(1, Varint.zigzag(-1));
        assertEquals(2, Varint.zigzag(1));
        ByteSink s = new ByteSink();
        Varint.writeSigned(s, Long.MIN_VALUE);
        assertEquals(10, s.size());
        assertEquals(Long.MIN_VALUE, Varint.readSigned(new ByteSource(s.toByteArray())));
        assertArrayEquals(new byte[] {(byte) 0x96, 0x01}, bytes(150));
    }

    private static byte[] bytes(long unsigned) {
        ByteSink s = new ByteSink();
        Varint.writeUnsigned(s, unsigned);
        return s.toByteArray();
    }
}
