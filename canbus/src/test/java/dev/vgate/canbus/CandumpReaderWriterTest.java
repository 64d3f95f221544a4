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

    static long stamp(String line) throws CandumpParseException {
        return CandumpFormat.parseLogLine(line, new CanFrame()).timestampNanos();
    }

    @Test void negativeTimestampsAreOneSignedDecimalNumber() throws Exception {
        // a logger clock before 1970 (the real Kona 2020 COMP-CAN recording starts at -0.364210 s)
        assertEquals(-364_210_000L, stamp("(-0.364210) can0 121#8F07330400000000"));
        assertEquals(-500_000_000L, stamp("(-0.5) can0 121#01"));           // seconds part "-0": the sign still counts
        assertEquals(-1_635_790_000L, stamp("(-1.635790) can0 121#01"));    // python-can's float(), not a timeval (-1 s + 0.635790)
        assertEquals(-1_000_001_000L, stamp("(-0000000001.000001) can0 121#01"));
        assertEquals(-123_456_789L, stamp("(-0.123456789) can0 121#01"));
        assertEquals(0L, stamp("(-0.000000) can0 121#01"));
        assertEquals(364_210_000L, stamp("(0.364210) can0 121#01"));
        assertEquals(-9_223_372_035_999_999_999L, stamp("(-9223372035.999999999) can0 121#01"));
    }

    @Test void negativeTimestampsAreWrittenWithTheSignOnTheWholeNumber() {
        CanFrame f = new CanFrame().id(0x121).data((byte) 1).iface("can0");
        assertEquals("(-0.364210) can0 121#01", CandumpFormat.format(f.timestampNanos(-364_210_000L)));
        assertEquals("(-1.500000) can0 121#01", CandumpFormat.format(f.timestampNanos(-1_500_000_000L)));
        assertEquals("(-0.000001) can0 121#01", CandumpFormat.format(f.timestampNanos(-1_000L)));
        assertEquals("(-0.999999) can0 121#01", CandumpFormat.format(f.timestampNanos(-999_999_999L)));
        assertEquals("(0.000000) can0 121#01", CandumpFormat.format(f.timestampNanos(-999L)));   // below a microsecond: no "-0.000000"
        assertEquals("(0.000000) can0 121#01", CandumpFormat.format(f.timestampNanos(0L)));
        assertEquals("(12.000005) can0 121#01", CandumpFormat.format(f.timestampNanos(12_000_005_000L)));
    }

    @Test void everyMicrosecondStampAroundZeroRoundTrips() throws Exception {
        CanFrame f = new CanFrame().id(0x121).data((byte) 1).iface("can0");
        java.util.Random rnd = new java.util.Random(42);
        for (int k = 0; k < 20_000; k++) {
            long us = k < 4_000 ? k - 2_000 : (k < 8_000 ? (k - 6_000) * 999_983L : rnd.nextLong() % 9_000_000_000_000_000L);
            long nanos = us * 1000;
            String line = CandumpFormat.format(f.timestampNanos(nanos));
            assertEquals(nanos, stamp(line), line);
        }
    }

    @Test void malformedNegativeTimestampsAreRejectedWithAReason() {
        record Case(String stamp, String reason) {}
        for (Case c : List.of(
                new Case("(-.5)", "expected digits after the '-' of a negative timestamp"),
                new Case("(--1.0)", "expected digits after the '-' of a negative timestamp"),
                new Case("(- 1.0)", "expected digits after the '-' of a negative timestamp"),
                new Case("(-)", "expected digits after the '-' of a negative timestamp"),
                new Case("(+1.0)", "expected timestamp as (seconds.fraction)"),
                new Case("(1-.0)", "expected timestamp as (seconds.fraction)"),
                new Case("(-1.-5)", "expected timestamp as (seconds.fraction)"),
                new Case("(-1)", "expected timestamp as (seconds.fraction)"),
                new Case("(-9223372036.000000)", "timestamp -9223372036 s is out of range (at most 9223372035 s either side of 1970)"),
                new Case("(99999999999.000000)", "timestamp 99999999999 s is out of range (at most 9223372035 s either side of 1970)"))) {
            CandumpParseException e = org.junit.jupiter.api.Assertions.assertThrows(CandumpParseException.class,
                    () -> stamp(c.stamp() + " can0 121#01"), c.stamp());
            assertEquals(c.reason(), e.getMessage(), c.stamp());
        }
    }

    @Test void aLogWithNegativeStampsReadsBackThroughTheReaderAndWriter() throws Exception {
        String log = "(-0.364210) can0 121#8F07330400000000\n(-0.000001) can0 110#95\n(0.000249) can0 110#9507010000000000\n";
        List<Bad> bad = new ArrayList<>();
        CandumpReader r = new CandumpReader(new StringReader(log), "neg.log", (s, n, line, why) -> bad.add(new Bad(n, line, why)));
        StringWriter sw = new StringWriter();
        List<Long> stamps = new ArrayList<>();
        try (CandumpWriter w = new CandumpWriter(sw, false)) {
            CanFrame f = new CanFrame();
            while (r.next(f)) { stamps.add(f.timestampNanos()); w.write(f); }
        }
        assertTrue(bad.isEmpty(), bad.toString());
        assertEquals(List.of(-364_210_000L, -1_000L, 249_000L), stamps);
        assertEquals(log, sw.toString());
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
        assertEquals("line longer than 4096 characters", bad.get(0).reason(), "the reason says what is wrong, not a parse error of the cut line");
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
