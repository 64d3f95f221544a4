package dev.vgate.canbus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanIdFilterTest {
    @Test void kernelFiltersMatchExactIdsOfTheirOwnWidth() {
        CanIdFilter f = CanIdFilter.of(List.of(0x7FF, 0x100, 0x100), List.of(0x18FEF100));
        int[][] k = f.kernelFilters();
        assertEquals(3, k.length);
        assertArrayEquals(new int[] {0x100, 0x800007FF}, k[0]);
        assertArrayEquals(new int[] {0x7FF, 0x800007FF}, k[1]);
        assertArrayEquals(new int[] {0x98FEF100, 0x9FFFFFFF}, k[2]);
        assertTrue(f.accepts(0x100, false));
        assertFalse(f.accepts(0x100, true));
        assertTrue(f.accepts(0x18FEF100, true));
        assertFalse(f.accepts(0x101, false));
    }

    @Test void moreIdsThanKernelSlotsFilterInJava() {
        CanIdFilter f = CanIdFilter.of(IntStream.range(0, 600).boxed().collect(Collectors.toList()), List.of());
        assertNull(f.kernelFilters());
        assertTrue(f.accepts(599, false));
        assertFalse(f.accepts(600, false));
        assertNull(CanIdFilter.ALL.kernelFilters());
        assertTrue(CanIdFilter.ALL.accepts(0x1FFFFFFF, true));
    }

    @Test void outOfRangeIdsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CanIdFilter.of(List.of(0x800), List.of()));
        assertThrows(IllegalArgumentException.class, () -> CanIdFilter.of(List.of(), List.of(0x20000000)));
    }
}
