package dev.vgate.input;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UntrustedTest {
    @Test void newlinesAndTerminalEscapesBecomeVisible() {
        assertEquals("k1\\n2026-01-01 INFO forged", Untrusted.escape("k1\n2026-01-01 INFO forged"));
        assertEquals("\\u001b[2J\\u009b31m", Untrusted.escape("\u001b[2J\u009b31m"));
        assertEquals("a\\\\nb", Untrusted.escape("a\\nb")); // a literal backslash-n stays distinguishable
        assertEquals("x\\u202ey", Untrusted.escape("x\u202ey"));
    }

    @Test void plainIdsAreUnchangedAndLongOnesCut() {
        assertEquals("owner-2026.key_1", Untrusted.escape("owner-2026.key_1"));
        assertTrue(Untrusted.isPlain("VIN123"));
        String cut = Untrusted.escape("x".repeat(70_000));
        assertEquals("x".repeat(200) + "...(70000 chars)", cut);
        assertEquals("null", Untrusted.escape(null));
    }
}
