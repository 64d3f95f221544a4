package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance: the real Kona EV 2020 COMP-CAN recording in ../shared/data (read in place; the test skips
 * without it), whose logger clock runs from before 1970 for its first part: 217 lines carry negative stamps
 * such as {@code (-0.364210)}. Every line is a frame, and each one reads to its exact microsecond and
 * writes back to the same text.
 */
class KonaCompCanRecordingTest {
    private static final String LOG = "logs/kona_ev_2020_compcan_heating/kona_ev_2020_compcan_heating.candump.log";

    private static Path recording() {
        String p = System.getProperty("vgate.shared.data");
        Path log = p == null ? null : Path.of(p).resolve(LOG);
        assumeTrue(log != null && Files.isRegularFile(log),
                "skipped: real recording not found (system property vgate.shared.data=" + p + "; expected ../shared/data/" + LOG + " beside the checkout)");
        return log;
    }

    @Test void everyFrameIsReadWithItsExactTimestamp() throws Exception {
        Path log = recording();
        List<String> bad = new ArrayList<>();
        List<Long> stamps = new ArrayList<>();
        int negative = 0;
        try (CandumpReader r = CandumpReader.open(log, (s, n, line, why) -> bad.add(n + ": " + why + ": " + line));
             BufferedReader text = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            CanFrame f = new CanFrame();
            while (r.next(f)) {
                String line = text.readLine();
                // the reader's frame, written back, is the recording's line character for character
                assertEquals(line, f.toString(), "line " + r.lines());
                assertEquals("can0", f.iface());
                stamps.add(f.timestampNanos());
                if (f.timestampNanos() < 0) negative++;
            }
            assertEquals(null, text.readLine());
            assertTrue(bad.isEmpty(), bad.size() + " bad lines, first " + (bad.isEmpty() ? "" : bad.get(0)));
            assertEquals(27_982, r.frames());
            assertEquals(27_982, r.lines());
        }
        assertEquals(217, negative);
        // the recording as given: 88 frames at 22.21-22.36 s, then the clock restarts at -0.364210 s and runs
        // forward to 46.149330 s; the reader keeps every stamp as it is (no reordering, no clamping)
        assertEquals(22_213_513_000L, stamps.get(0));
        assertEquals(22_358_552_000L, stamps.get(87));
        assertEquals(-364_210_000L, stamps.get(88));
        assertEquals(-3_717_000L, stamps.get(88 + 216));
        assertEquals(249_000L, stamps.get(88 + 217));
        assertEquals(46_149_330_000L, stamps.get(stamps.size() - 1));
        for (int k = 89; k < stamps.size(); k++) {
            assertTrue(stamps.get(k) >= stamps.get(k - 1), "stamps go back at frame " + (k + 1));
        }
    }
}
