package dev.vgate.dbc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Message;

import java.io.ByteArrayInputStream;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes the DBC parser and compiler with whole files (bytes, so the UTF-8/Windows-1252 decision is fuzzed
 * too): a file loads or fails with a {@link DbcException} whose message is one line without Java class names
 * (any other exception, a StackOverflowError or an OutOfMemoryError at the unit's 96 MiB heap is a finding);
 * what loads decodes frames of every length without throwing.
 *
 * <p>The default surefire run replays the seeds in {@code DbcParserFuzzTestInputs} (the demo DBC, small real
 * layouts and the crafted cases of issue 18); the {@code fuzz-dbc} execution fuzzes for a bounded time
 * (docs/security.md#fuzzing).
 */
class DbcParserFuzzTest {
    static final Pattern JAVA_CLASS = Pattern.compile("\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*\\.[A-Z]\\w*(Exception|Error)");
    private static final byte[] PAYLOAD = {(byte) 0xA5, 0x5A, (byte) 0xFF, 0, 1, (byte) 0x80, 0x7F, 3, 9, 9, 9, 9, 9, 9, 9, 9,
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
            -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16};

    @FuzzTest(maxDuration = "20s")
    void dbcFilesLoadOrFailWithOneReadableLine(byte[] input) {
        DbcDatabase db;
        try {
            db = DbcDatabase.load(new ByteArrayInputStream(input), "fuzz.dbc");
        } catch (DbcException e) {
            assertNotNull(e.getMessage());
            assertFalse(JAVA_CLASS.matcher(e.getMessage()).find(), e.getMessage());
            return;
        }
        FrameDecoder d = db.newDecoder();
        for (Message m : db.messages()) {
            for (int len : new int[] {0, 1, 8, m.length(), 64}) {
                d.decode(m.frameId(), m.isExtended(), PAYLOAD, Math.min(Math.max(len, 0), PAYLOAD.length), (s, raw, v) -> { });
            }
        }
    }
}
