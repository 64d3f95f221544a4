package dev.vgate.canbus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpReader;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the candump -L reader (replay buses, {@code vgate dbc decode}, {@code rules replay}): whatever the
 * bytes, every line is either a frame or a bad line reported with a reason — no exception, no line held longer
 * than the reader's limit — and every frame it returns is a valid CAN frame. Bad lines reach the log, so the
 * reported text must be safe to print once escaped.
 *
 * <p>Seeds in {@code CandumpReaderFuzzTestInputs}: real candump lines (classic, extended, FD, RTR, error frames)
 * and crafted ones; the {@code fuzz-canbus} execution fuzzes for a bounded time (docs/security.md#fuzzing).
 */
class CandumpReaderFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void everyLineIsAFrameOrAReportedBadLine(byte[] input) throws CanException {
        long[] bad = {0};
        try (CandumpReader r = CandumpReader.of(new ByteArrayInputStream(input), "fuzz.log", (src, line, text, reason) -> {
            bad[0]++;
            assertTrue(text.length() <= 4096, "a bad line held " + text.length() + " characters");
            assertFalse(reason.isEmpty());
        })) {
            CanFrame f = new CanFrame();
            long frames = 0;
            while (r.next(f)) {
                frames++;
                assertTrue(f.length() >= 0 && f.length() <= CanFrame.MAX_FD_DATA, "length " + f.length());
                assertTrue(f.isExtended() ? (f.id() & ~0x1FFFFFFF) == 0 : (f.id() & ~0x7FF) == 0 || f.isError(), "id " + f.id());
            }
            assertEquals(frames, r.frames());
            assertEquals(bad[0], r.badLines());
        }
    }
}
