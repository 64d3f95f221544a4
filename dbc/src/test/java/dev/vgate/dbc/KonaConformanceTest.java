package dev.vgate.dbc;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real Kona EV recordings decode to the same values as the cantools reference decodes beside them,
 * line by line: same message, same signals in the same order, labels equal, numbers within 1e-9
 * relative, and the same frames refused with the same reason ("Wrong data size: ...", "Unknown frame id ...").
 *
 * <p>Reference format (cantools {@code decode --single-line}): {@code (ts) can0 123#DATA :: Msg(Sig: 1.5 unit, Sig2: LABEL)}.
 * cantools read the DBCs as Windows-1252, so a UTF-8 unit "°C" appears as "Â°C"; both spellings are accepted.
 * Lines cantools could not parse (negative timestamps in the heating log) it echoed without " :: ".
 */
class KonaConformanceTest {
    private static final Pattern LINE = Pattern.compile("^\\((-?[0-9]+\\.[0-9]+)\\) (\\S+) ([0-9A-F]+)#([0-9A-F]*)(?: :: (.*))?$");
    private static final Charset CP1252 = Charset.forName("windows-1252");

    record Decoded(Signal signal, long raw, double value) {}

    record Counts(int lines, int decoded, int signals, int wrongLength, int unknownId, int notParsedByCantools) {}

    @Test
    void konaPcanMatchesCantools() throws Exception {
        Counts c = compare("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log", "can0",
                "dbc/kona-ev-dbc/pcan.dbc", "logs/kona_ev_2019_pcan_ccan/reference/cantools_decode_can0_with_kona_pcan.txt.gz");
        assertEquals(new Counts(24263, 23980, c.signals(), 282, 1, 0), c);
    }

    @Test
    void konaPcanCompatCopyMatchesToo() throws Exception {
        Counts c = compare("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log", "can0",
                "dbc/cantools-compat/kona_pcan.cantools-compat.dbc", "logs/kona_ev_2019_pcan_ccan/reference/cantools_decode_can0_with_kona_pcan.txt.gz");
        assertEquals(23980, c.decoded());
    }

    @Test
    void konaCcanWithHyundaiGeneratedMatchesCantools() throws Exception {
        Counts c = compare("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log", "can1",
                "dbc/opendbc-generated/hyundai_can_generated.dbc", "logs/kona_ev_2019_pcan_ccan/reference/cantools_decode_can1_with_hyundai_can_generated.txt.gz");
        assertEquals(15283, c.lines());
        assertEquals(555, c.wrongLength());
        assertEquals(497, c.unknownId());
        assertEquals(15283 - 555 - 497, c.decoded());
    }

    @Test
    void konaCompCanHeatingMatchesCantools() throws Exception {
        Counts c = compare("logs/kona_ev_2020_compcan_heating/kona_ev_2020_compcan_heating.candump.log", "can0",
                "dbc/kona-ev-dbc/comp_can.dbc", "logs/kona_ev_2020_compcan_heating/reference/cantools_decode_can0_with_kona_comp_can.txt.gz");
        assertEquals(27982, c.lines());
        assertEquals(4630, c.unknownId());
        assertEquals(217, c.notParsedByCantools());
        assertEquals(27982 - 4630 - 217, c.decoded());
    }

    private Counts compare(String log, String bus, String dbcPath, String reference) throws Exception {
        Path data = SharedData.dir();
        DbcDatabase db = DbcDatabase.load(data.resolve(dbcPath));
        FrameDecoder decoder = db.newDecoder();
        List<Decoded> out = new ArrayList<>();
        SignalSink sink = (s, raw, value) -> out.add(new Decoded(s, raw, value));
        List<String> logLines = Files.readAllLines(data.resolve(log), StandardCharsets.US_ASCII);
        int lines = 0, decoded = 0, signals = 0, wrongLength = 0, unknownId = 0, unparsed = 0;
        try (BufferedReader ref = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(data.resolve(reference))), StandardCharsets.UTF_8))) {
            int logIndex = 0;
            String refLine;
            while ((refLine = ref.readLine()) != null) {
                // the reference holds the frames of one bus, in log order
                String logLine;
                do {
                    logLine = logLines.get(logIndex++);
                } while (!logLine.contains(") " + bus + " "));
                lines++;
                String where = reference + ":" + lines + ": ";
                Matcher m = LINE.matcher(refLine);
                assertTrue(m.matches(), where + "unexpected reference line " + refLine);
                assertTrue(refLine.startsWith(logLine), where + "reference and log disagree: " + logLine);
                if (m.group(5) == null) {
                    // cantools' log regex does not accept a negative timestamp; vgate's candump reader rejects it too
                    assertTrue(m.group(1).startsWith("-"), where + "cantools left a frame undecoded: " + refLine);
                    unparsed++;
                    continue;
                }
                int id = Integer.parseInt(m.group(3), 16);
                byte[] payload = HexFormat.of().parseHex(m.group(4));
                out.clear();
                DecodeStatus st = decoder.decode(id, m.group(3).length() == 8, payload, payload.length, sink);
                String expected = m.group(5);
                if (expected.startsWith("Unknown frame id") || expected.startsWith("Wrong data size")) {
                    assertEquals(expected, decoder.lastError(), where);
                    assertEquals(expected.startsWith("Unknown") ? DecodeStatus.UNKNOWN_ID : DecodeStatus.WRONG_LENGTH, st, where);
                    assertTrue(out.isEmpty(), where + "signals delivered for a refused frame");
                    if (st == DecodeStatus.UNKNOWN_ID) unknownId++;
                    else wrongLength++;
                    continue;
                }
                assertEquals(DecodeStatus.OK, st, where + decoder.lastError());
                // cantools lists signals sorted by start bit (Motorola: the MSB's network position); vgate in DBC order
                out.sort(java.util.Comparator.comparingInt(d -> cantoolsSortKey(d.signal())));
                compareSignals(where, expected, decoder.lastMessage(), out);
                decoded++;
                signals += out.size();
            }
        }
        Counts c = new Counts(lines, decoded, signals, wrongLength, unknownId, unparsed);
        System.out.printf("%s on %s with %s: %s%n", log, bus, dbcPath, c);
        return c;
    }

    private static int cantoolsSortKey(Signal s) {
        return s.byteOrder() == Signal.ByteOrder.BIG_ENDIAN ? 8 * (s.startBit() / 8) + 7 - s.startBit() % 8 : s.startBit();
    }

    private static void compareSignals(String where, String expected, Message msg, List<Decoded> out) {
        String prefix = msg.name() + "(";
        assertTrue(expected.startsWith(prefix) && expected.endsWith(")"), where + "expected message " + expected + ", vgate decoded " + msg.name());
        String body = expected.substring(prefix.length(), expected.length() - 1);
        int pos = 0;
        for (int i = 0; i < out.size(); i++) {
            Decoded d = out.get(i);
            String head = d.signal().name() + ": ";
            if (!body.startsWith(head, pos)) fail(where + "expected signal " + d.signal().name() + " at '" + body.substring(pos) + "'");
            int start = pos + head.length();
            int end = i + 1 < out.size() ? body.indexOf(", " + out.get(i + 1).signal().name() + ": ", start) : body.length();
            if (end < 0) fail(where + "vgate decoded " + out.get(i + 1).signal().name() + " which cantools did not: " + body);
            checkValue(where + d.signal().name() + ": ", body.substring(start, end), d);
            pos = end + (i + 1 < out.size() ? 2 : 0);
        }
        assertEquals(body.length(), pos, where + "cantools decoded more signals: " + body.substring(pos));
    }

    private static void checkValue(String where, String text, Decoded d) {
        String label = d.signal().label(d.raw());
        if (label != null) {
            assertEquals(label, text, where + "label");
            return;
        }
        int sp = text.indexOf(' ');
        String number = sp < 0 ? text : text.substring(0, sp);
        String unit = d.signal().unit();
        if (unit.isEmpty()) {
            assertEquals(number, text, where + "no unit expected");
        } else {
            String mojibake = new String(unit.getBytes(StandardCharsets.UTF_8), CP1252);
            assertTrue(text.equals(number + " " + unit) || text.equals(number + " " + mojibake), where + "unit of '" + text + "', vgate unit " + unit);
        }
        double ref = Double.parseDouble(number);
        double v = d.value();
        double tolerance = 1e-9 * Math.max(Math.abs(ref), Math.abs(v));
        if (!(Math.abs(ref - v) <= tolerance)) fail(where + "cantools " + number + ", vgate " + v + " (raw " + d.raw() + ")");
    }
}
