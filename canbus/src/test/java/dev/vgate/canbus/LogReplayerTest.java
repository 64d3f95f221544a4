package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogReplayerTest {
    static final String LOG = "(1700000000.000000) vcan0 100#01\n"
            + "(1700000000.100000) vcan0 101#02\n"
            + "(1700000000.100000) can9 1FF#03\n"
            + "(1700000000.350000) vcan0 20000040#0000000000000000\n"
            + "not a frame\n"
            + "(1700000001.000000) vcan0 102#03\n";

    /** A clock that only moves when the replayer sleeps, so waits are exact. */
    static final class FakeTime {
        long now = 5_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();
        long nanoTime() { return now; }
        void sleep(long n) { sleeps.add(n); now += n; }
    }

    /** Records what is sent, with the fake time of sending. */
    static class RecordingChannel implements CanChannel {
        final List<String> sent = new ArrayList<>();
        final List<Long> at = new ArrayList<>();
        final FakeTime time;
        int failAt = -1;
        RecordingChannel(FakeTime time) { this.time = time; }
        @Override public String name() { return "rec"; }
        @Override public void start(FrameHandler h, CanEventListener l) {}
        @Override public void send(CanFrame f) throws CanException {
            if (sent.size() == failAt) throw new CanException("rec: link down");
            sent.add(CandumpFormat.appendFrame(f, new StringBuilder()).toString());
            at.add(time.now);
        }
        @Override public CanCounters counters() { return new CanCounters("rec"); }
        @Override public void close() {}
    }

    static CandumpReader reader() { return new CandumpReader(new StringReader(LOG), "t.log", (s, n, l, r) -> {}); }

    @Test void recordedPaceKeepsTheGapsOfTheLog() throws Exception {
        FakeTime t = new FakeTime();
        RecordingChannel ch = new RecordingChannel(t);
        LogReplayer.Result r = new LogReplayer(t::nanoTime, t::sleep).replay(reader(), ch, null, 1);
        assertEquals(List.of("100#01", "101#02", "1FF#03", "102#03"), ch.sent);
        long t0 = ch.at.get(0);
        assertEquals(List.of(0L, 100_000_000L, 100_000_000L, 1_000_000_000L), ch.at.stream().map(a -> a - t0).toList());
        assertEquals(4, r.framesSent());
        assertEquals(1, r.errorFramesSkipped());
        assertEquals(1, r.badLines());
        assertEquals(1_000_000_000L, r.logSpanNanos());
    }

    @Test void speedDividesTheGaps() throws Exception {
        FakeTime t = new FakeTime();
        RecordingChannel ch = new RecordingChannel(t);
        new LogReplayer(t::nanoTime, t::sleep).replay(reader(), ch, "vcan0", 4);
        assertEquals(List.of("100#01", "101#02", "102#03"), ch.sent);
        long t0 = ch.at.get(0);
        assertEquals(List.of(0L, 25_000_000L, 250_000_000L), ch.at.stream().map(a -> a - t0).toList());
    }

    @Test void timeAlreadySpentIsNotSleptAgain() throws Exception {
        FakeTime t = new FakeTime();
        RecordingChannel ch = new RecordingChannel(t) {
            @Override public void send(CanFrame f) throws CanException {
                super.send(f);
                time.now += 60_000_000L; // a slow channel: 60 ms per send
            }
        };
        new LogReplayer(t::nanoTime, t::sleep).replay(reader(), ch, "vcan0", 1);
        assertEquals(List.of(40_000_000L, 840_000_000L), t.sleeps);
    }

    @Test void fastReplayNeverSleeps() throws Exception {
        FakeTime t = new FakeTime();
        RecordingChannel ch = new RecordingChannel(t);
        LogReplayer.Result r = new LogReplayer(t::nanoTime, t::sleep).replayFast(reader(), ch, null);
        assertEquals(4, r.framesSent());
        assertTrue(t.sleeps.isEmpty());
    }

    @Test void aRefusedFrameStopsTheReplayNamingTheLine() {
        FakeTime t = new FakeTime();
        RecordingChannel ch = new RecordingChannel(t);
        ch.failAt = 1;
        CanException e = assertThrows(CanException.class, () -> new LogReplayer(t::nanoTime, t::sleep).replayFast(reader(), ch, null));
        assertEquals("t.log:2: replay stopped after 1 frames: rec: link down", e.getMessage());
    }
}
