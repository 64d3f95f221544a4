package dev.vgate.diag.dtc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DtcTest {
    @Test void codesAreWrittenAsAWorkshopWritesThem() {
        assertEquals("P0A7E", new Dtc(0x0A7E00, 0).text());
        assertEquals("C1234", new Dtc(0x523400, 0).text());
        assertEquals("B0001", new Dtc(0x800100, 0).text());
        assertEquals("U0100", new Dtc(0xC10000, 0).text());
        assertEquals("P3FFF", new Dtc(0x3FFF00, 0).text());
        assertEquals("U3FFF", Dtc.format(0xFFFF));
    }

    @Test void parseIsTheInverseOfText() {
        for (int code16 : new int[] {0x0000, 0x0A7E, 0x5234, 0x8001, 0xC100, 0xFFFF}) {
            assertEquals(code16 << 8, Dtc.parse(Dtc.format(code16)));
        }
        assertEquals(0x0A7E1C, Dtc.parse("p0a7e-1c"));
        assertEquals(0x0A7E1C, Dtc.parse("0A7E1C"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dtc.parse("X0A7E"));
        assertEquals("not a DTC: 'X0A7E' (expected e.g. P0A7E, U0100-00 or 0A7E00)", e.getMessage());
    }

    @Test void statusBitsByName() {
        assertEquals(List.of("testFailed", "testFailedThisOperationCycle", "pendingDTC", "confirmedDTC", "testFailedSinceLastClear"),
                new Dtc(0x0A7E00, 0x2F).statusNames());
        assertEquals("P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear",
                new Dtc(0x0A7E00, 0x2F).line());
        assertEquals("U0100 status=0x00 - ftb=0x87", new Dtc(0xC10087, 0).line());
        assertEquals("warningIndicatorRequested", Dtc.statusNames(0x80).get(0));
    }

    @Test void obdCodesHaveNoFailureType() {
        Dtc d = Dtc.ofObd(0x01, 0x71, 0x08);
        assertEquals("P0171", d.text());
        assertEquals(0, d.failureType());
    }
}
