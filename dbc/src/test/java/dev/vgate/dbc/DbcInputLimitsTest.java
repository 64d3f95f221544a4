package dev.vgate.dbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 18, cases 9 and 11 for DBC files: bounded reads, an empty file and an impossible value type are refused. */
class DbcInputLimitsTest {
    private static final String ONE_MESSAGE = "VERSION \"\"\n\nBU_: A\n\nBO_ 256 M: 8 A\n SG_ S : 0|32@1+ (1,0) [0|0] \"\" A\n\n";

    @Test void anEmptyFileIsNotABusWithoutMessages(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.dbc"));
        DbcException e = assertThrows(DbcException.class, () -> DbcDatabase.load(empty));
        assertEquals(empty + ": the DBC file is empty", e.getMessage());
        assertThrows(DbcException.class, () -> DbcDatabase.parse(" \n\t\n", "blank.dbc"));
    }

    @Test void valueTypeThreeIsRefused() throws Exception {
        assertEquals(Signal.ValueType.FLOAT32, DbcDatabase.parse(ONE_MESSAGE + "SIG_VALTYPE_ 256 S : 1;\n", "ok.dbc")
                .signal("S").valueType());
        DbcException e = assertThrows(DbcException.class, () -> DbcDatabase.parse(ONE_MESSAGE + "SIG_VALTYPE_ 256 S : 3;\n", "bad.dbc"));
        assertTrue(e.getMessage().contains("the value type (0, 1 or 2)"), e.getMessage());
    }

    @Test void devZeroStopsAtTheReadLimit() {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) return;
        DbcException e = assertThrows(DbcException.class, () -> DbcDatabase.load(zero));
        assertTrue(e.getMessage().contains("larger than the limit of 4194304 bytes"), e.getMessage());
    }

    @Test void aFileOverTheLimitIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.dbc");
        StringBuilder b = new StringBuilder(ONE_MESSAGE);
        while (b.length() <= DbcDatabase.MAX_FILE_BYTES) b.append("CM_ SG_ 256 S \"").append("x".repeat(1000)).append("\";\n");
        Files.writeString(big, b);
        DbcException e = assertThrows(DbcException.class, () -> DbcDatabase.load(big));
        assertTrue(e.getMessage().contains("larger than the limit"), e.getMessage());
    }
}
