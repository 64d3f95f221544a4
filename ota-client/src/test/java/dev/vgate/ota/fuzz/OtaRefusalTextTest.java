package dev.vgate.ota.fuzz;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.patch.BsdiffApplier;
import dev.vgate.ota.patch.PatchSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 18, case 11: OTA refusals read as one line without Java class names. Every single-byte corruption of
 * the xz and gzip seed patches is applied; each refusal's message is checked (on main, 42 of them quoted
 * {@code org.tukaani.xz.CorruptedInputException} and the like).
 */
class OtaRefusalTextTest {
    /** A qualified Java class name: lower-case package segments, then a capitalised class. */
    static final Pattern JAVA_CLASS = Pattern.compile("\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*\\.[A-Z]\\w*");

    @BeforeAll static void setUp() throws Exception { PatchAndManifestFuzzTest.setUp(); }

    @AfterAll static void tearDown() throws Exception { PatchAndManifestFuzzTest.tearDown(); }

    @Test void corruptPatchesAreRefusedInOneLineWithoutClassNames() throws Exception {
        int refusals = 0;
        for (String seed : new String[] {"patch-xz", "patch-jbsdiff-gz", "patch-jbsdiff-bzip2"}) {
            byte[] patch = seed(seed);
            for (int i = 1; i < patch.length; i++) {
                for (int flip : new int[] {0x01, 0x80, 0xFF}) {
                    byte[] p = Arrays.copyOfRange(patch, 1, patch.length); // the seed's first byte picks the target
                    p[i - 1] ^= (byte) flip;
                    try {
                        new BsdiffApplier().apply(PatchSource.of(p), PatchAndManifestFuzzTest.old, PatchAndManifestFuzzTest.oldSize,
                                new PatchAndManifestFuzzTest.CountingSink(), PatchAndManifestFuzzTest.MAX_NEW, (d, t) -> {});
                    } catch (OtaException e) {
                        refusals++;
                        assertReadable(e.getMessage());
                    }
                }
            }
        }
        assertTrue(refusals > 100, "refusals " + refusals);
    }

    static void assertReadable(String message) {
        assertFalse(JAVA_CLASS.matcher(message).find(), "Java class name in: " + message);
        assertFalse(message.contains("\n"), "more than one line: " + message);
    }

    private static byte[] seed(String name) throws Exception {
        try (InputStream in = OtaRefusalTextTest.class.getResourceAsStream("PatchAndManifestFuzzTestInputs/patchesAndManifestsGetTypedAnswers/" + name)) {
            return in.readAllBytes();
        }
    }
}
