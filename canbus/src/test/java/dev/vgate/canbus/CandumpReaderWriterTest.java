package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandumpReaderWriterTest {

    record Bad(long line, String text, String reason) {}

    static List<CanFrame> sampleFrames() {
        List<CanFrame> l = new ArrayList<>();
        l.add(new CanFrame().id(0x123).data((byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF).timestampNanos(1_700_000_000_123_456_000L).iface("vcan0"));
        l.add(new CanFrame().id(0x1ABCDEF0).flags(CanFrame.FLAG_EXTENDED).data((byte) 1).timestampNanos(1_700_000_000_200_000_000L).iface("vcan0"));
        l.add(new CanFrame().id(0x7FF).flags(CanFrame.FLAG_FD | CanFrame.FLAG_BRS | CanFrame.FLAG_FDF).data(new byte[64]).timestampNanos(1_700_000_001_000_001_000L).iface("can1"));
        byte[] twelve = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        l.add(new CanFrame().id(0x10).flags(CanFrame.FLAG_FD | CanFrame.FLAG_ESI).data(twelve).timestampNanos(1_700_000_001_000_002_000L).iface("can1"));
        l.add(new CanFrame().id(0x321).flags(CanFrame.FLAG_RTR).length(4).timestampNanos(1_700_000_002_000_000_000L).iface("vcan0"));
        l.add(new CanFrame().id(0x44).flags(CanFrame.FLAG_ERROR).data(new byte[] {0, 0x14, 0, 0, 0, 0, 0, 0}).timestampNanos(1_700_000_003_000_000_000L).iface("vcan0"));
        l.add(new CanFrame().id(0).timestampNanos(1_700_000_004_000_000_000L).iface("vcan0"));
        return l;
    }

    @Test void writtenLogReadsBackToTheSameFrames() throws Exception {
        List<CanFrame> frames = sampleFrames();
        StringWriter sw = new StringWriter();
        try (CandumpWriter w = new CandumpWriter(sw, false)) {
            for (CanFrame f : frames) w.write(f);
            assertEquals(frames.size(), w.frames());
        }
        List<Bad> bad = new ArrayList<>();
        CandumpReader r = new CandumpReader(new StringReader(sw.toString()), "mem", (s, n, line, why) -> bad.add(new Bad(n, line, why)));
        CanFrame f = new CanFrame();
        for (CanFrame expected : frames) {
            assertTrue(r.next(f), "frame " + expected);
            assertEquals(expected, f);
        }
        assertFalse(r.next(f));
        assertEquals(frames.size(), r.frames());
        assertEquals(0, r.badLines());
        assertTrue(bad.isEmpty());
        assertTrue(sw.toString().startsWith("(1700000000.123456) vcan0 123#DEADBEEF\n(1700000000.200000) vcan0 1ABCDEF0#01\n"), sw.toString());
    }

    @Test void badLinesAreReportedWithLineNumbersAndSkipped() throws Exception {
        String log = "(1700000000.000001) vcan0 123#11\n"
                + "garbage\n"
                + "\n"
                + "(1700000000.000002) vcan0 12345#11\n"
                + "(1700000000.000003) vcan0 124#1122\r\n"
                + "(1700000000.000004) vcan0 800#00\n"
                + "(1700000000.000005) vcan0 125#R";
        List<Bad> bad = new ArrayList<>();
        CandumpReader r = new CandumpReader(new StringReader(log), "test.log", (s, n, line, why) -> bad.add(new Bad(n, line, why)));
        CanFrame f = new CanFrame();
        List<String> got = new ArrayList<>();
        while (r.next(f)) got.add(f.toString());
        assertEquals(List.of("(1700000000.000001) vcan0 123#11", "(1700000000.000003) vcan0 124#1122", "(1700000000.000005) vcan0 125#R"), got);
        assertEquals(3, bad.size());
        assertEquals(2, bad.get(0).line());
        assertEquals("garbage", bad.get(0).text());
        assertEquals("expected '(' to open the timestamp", bad.get(0).reason());
        assertEquals(4, bad.get(1).line());
        assertTrue(bad.get(1).reason().contains("3-digit"), bad.get(1).reason());
        assertEquals(6, bad.get(2).line());
        assertTrue(bad.get(2).reason().contains("above 7FF"), bad.get(2).reason());
        assertEquals(7, r.lines());
        assertEquals(3, r.frames());
        assertEquals(3, r.badLines());
    }

    @Test void aHugeLineIsCutAndReportedNotBuffered() throws Exception {
        String log = "(1.000000) vcan0 123#" + "A".repeat(100_000) + "\n(2.000000) vcan0 123#01\n";
        List<Bad> bad = new ArrayList<>();
        CandumpReader r = new CandumpReader(new StringReader(log), "big", (s, n, line, why) -> bad.add(new Bad(n, line, why)));
        CanFrame f = new CanFrame();
        assertTrue(r.next(f));
        assertEquals("(2.000000) vcan0 123#01", f.toString());
        assertEquals(1, bad.size());
        assertEquals(1, bad.get(0).line());
        assertTrue(bad.get(0).text().length() <= 4096);
    }

    @Test void linesLongerThanTheReadBufferAreJoined() throws Exception {
        StringBuilder sb = new StringBuilder();
        int n = 2000; // ~70 KB: crosses the 16 KB read buffer many times
        for (int k = 0; k < n; k++) sb.append(String.format("(%d.%06d) vcan0 7FF##1%0128X%n", 1000 + k, k, k));
        CandumpReader r = new CandumpReader(new StringReader(sb.toString()), "fd", CandumpReader.BadLineListener.LOG);
        CanFrame f = new CanFrame();
        int count = 0;
        while (r.next(f)) {
            assertEquals(64, f.length());
            assertEquals((byte) count, f.data()[63]);
            count++;
        }
        assertEquals(n, count);
        assertEquals(0, r.badLines());
    }

    @Test void writerAppendsSuffixAndFlushesEachLine() throws Exception {
        StringWriter sw = new StringWriter();
        int[] flushes = {0};
        java.io.Writer counting = new java.io.FilterWriter(sw) {
            @Override public void flush() throws java.io.IOException { flushes[0]++; super.flush(); }
        };
        CandumpWriter w = new CandumpWriter(counting, true);
        CanFrame f = sampleFrames().get(0);
        w.write(f, ":: Msg A=1");
        w.write(f);
        assertEquals(2, flushes[0]);
        assertEquals("(1700000000.123456) vcan0 123#DEADBEEF :: Msg A=1\n(1700000000.123456) vcan0 123#DEADBEEF\n", sw.toString());
    }
}
