package dev.vgate.buffer.wire.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.buffer.wire.WireException;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the telemetry batch decoder (the cloud side's reader of what vehicles upload, and {@code vgate telemetry
 * decode}): whatever the bytes, a batch either decodes, deterministically and within the decoder's sample limit, or
 * is refused with a {@link WireException} whose message is one printable line without Java class names. Any other
 * exception, an OutOfMemoryError at the unit's heap or a stack overflow is a finding (sizes claimed by the input
 * must never size an allocation: issue 18, case 1).
 *
 * <p>Seeds in {@code BatchDecoderFuzzTestInputs}: batches {@code vgate telemetry pack} wrote from a synthetic drive on
 * the demo DBC, with xz, deflate and no compression, plus truncated and bit-flipped copies; the {@code fuzz-telemetry}
 * execution fuzzes for a bounded time (docs/security.md#fuzzing).
 */
class BatchDecoderFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void everyBatchDecodesOrIsRefusedCleanly(byte[] input) {
        long[] first;
        try {
            first = decode(input);
        } catch (WireException e) {
            String m = String.valueOf(e.getMessage());
            assertFalse(m.isBlank(), "a refusal says why");
            assertTrue(m.length() <= 2000, "a refusal is bounded: " + m.length() + " characters");
            assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
            assertFalse(m.matches("(?s).*\\b(java|org|com)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*"), "no Java class names: " + m);
            return;
        }
        assertTrue(first[0] >= 0 && first[0] <= BatchDecoder.MAX_BATCH_SAMPLES, "samples " + first[0]);
        long[] again;
        try {
            again = decode(input);
        } catch (WireException e) {
            throw new AssertionError("decoded once, refused the second time: " + e.getMessage(), e);
        }
        assertEquals(first[0], again[0], "the same sample count twice");
        assertEquals(first[1], again[1], "the same samples twice");
    }

    /** {sample count, a hash over every sample's fields}. */
    private static long[] decode(byte[] input) throws WireException {
        TelemetryBatch batch = BatchDecoder.parse(input);
        long[] hash = {17};
        long n = BatchDecoder.visit(batch, (t, bus, message, signal, raw, value) -> {
            long h = hash[0];
            h = h * 31 + t;
            h = h * 31 + bus.hashCode();
            h = h * 31 + message.hashCode();
            h = h * 31 + signal.hashCode();
            h = h * 31 + raw;
            h = h * 31 + Double.doubleToRawLongBits(value);
            hash[0] = h;
        });
        return new long[] {n, hash[0]};
    }
}
