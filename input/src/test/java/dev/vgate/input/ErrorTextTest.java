package dev.vgate.input;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class ErrorTextTest {
    @Test void wrappedLibraryExceptionsLoseTheirClassNames() {
        assertEquals("corrupted input: Compressed data is corrupt",
                ErrorText.clean("org.tukaani.xz.CorruptedInputException: Compressed data is corrupt"));
        assertEquals("cannot read patch header: end of file",
                ErrorText.clean("cannot read patch header: java.io.EOFException"));
        assertEquals("end of file: truncated", ErrorText.of(new IOException(new EOFException("truncated"))));
    }

    @Test void messageLessExceptionsAreNamedInWordsOnOneLine() {
        assertEquals("end of file", ErrorText.of(new EOFException()));
        assertEquals("null pointer", ErrorText.of(new NullPointerException()));
        assertEquals("line one line two", ErrorText.clean("line one\n  line two"));
    }
}
