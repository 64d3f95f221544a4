package dev.vgate.input;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class BoundedLineReaderTest {
    /** An endless stream of 'x' without a newline that counts what was read from it (nothing is allocated for it). */
    static final class EndlessLine extends InputStream {
        long read;
        @Override public int read() { read++; return 'x'; }
        @Override public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            read += len;
            return len;
        }
    }

    @Test void linesAsBufferedReaderReadsThem() throws Exception {
        BoundedLineReader r = new BoundedLineReader(new StringReader("a\r\n\nbc\nlast"), "log", 10);
        assertEquals("a", r.readLine());
        assertEquals("", r.readLine());
        assertEquals("bc", r.readLine());
        assertEquals("last", r.readLine());
        assertEquals(4, r.lineNumber());
        assertNull(r.readLine());
    }

    @Test void aLineAtTheLimitIsReadAndOneOverIsRefusedWithItsNumber() throws Exception {
        String ok = "y".repeat(10);
        BoundedLineReader r = new BoundedLineReader(new StringReader(ok + "\r\n" + ok + "z\n"), "stdin", 10);
        assertEquals(ok, r.readLine());
        BoundedLineReader.LineTooLongException e = assertThrows(BoundedLineReader.LineTooLongException.class, r::readLine);
        assertEquals("stdin:2: line longer than 10 characters", e.getMessage());
        assertEquals(2, e.lineNumber());
    }

    @Test void anEndlessLineFailsAfterReadingLittleMoreThanTheLimit() {
        EndlessLine endless = new EndlessLine();
        BoundedLineReader r = BoundedLineReader.utf8(endless, "stdin", BoundedLineReader.DEFAULT_MAX_LINE);
        // BufferedReader.readLine would read this stream until the heap is gone
        var e = assertThrows(BoundedLineReader.LineTooLongException.class, r::readLine);
        assertEquals("stdin:1: line longer than 4096 characters", e.getMessage());
        assertTrue(endless.read < 1 << 20, "read " + endless.read + " bytes of one line");
    }

    @Test void aLongLineAfterGoodOnesKeepsTheGoodOnes() throws Exception {
        byte[] text = ("ok\n" + "z".repeat(5000) + "\n").getBytes(StandardCharsets.UTF_8);
        BoundedLineReader r = BoundedLineReader.utf8(new ByteArrayInputStream(text), "f.log", 4096);
        assertEquals("ok", r.readLine());
        assertThrows(BoundedLineReader.LineTooLongException.class, r::readLine);
    }
}
