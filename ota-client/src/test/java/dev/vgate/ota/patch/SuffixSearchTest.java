package dev.vgate.ota.patch;

import io.sigpipe.jbsdiff.Patch;
import io.sigpipe.jbsdiff.sort.SuffixSort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuffixSearchTest {

    static int[] suffixArray(byte[] old) {
        int[] I = new int[old.length + 1];
        SuffixSort.qsufsort(I, new int[old.length + 1], old);
        return I;
    }

    /** Longest common prefix of new[from..] with any old suffix, by brute force. */
    static int bruteForceLongest(byte[] old, byte[] nw, int from) {
        int best = 0;
        for (int o = 0; o <= old.length; o++) best = Math.max(best, SuffixSearch.matchLength(old, o, nw, from, 0));
        return best;
    }

    @Test void findsTheLongestMatchOnEveryPositionOfRandomLowEntropyInputs() {
        Random r = new Random(2026);
        for (int round = 0; round < 200; round++) {
            int alphabet = 1 + r.nextInt(3); // few symbols: many equal prefixes, suffixes that are prefixes of others
            byte[] old = new byte[1 + r.nextInt(60)];
            byte[] nw = new byte[1 + r.nextInt(60)];
            for (int i = 0; i < old.length; i++) old[i] = (byte) r.nextInt(alphabet);
            for (int i = 0; i < nw.length; i++) nw[i] = (byte) r.nextInt(alphabet);
            int[] I = suffixArray(old);
            for (int from = 0; from < nw.length; from++) {
                long m = SuffixSearch.longestMatch(I, old, nw, from);
                int want = bruteForceLongest(old, nw, from);
                assertEquals(want, SuffixSearch.length(m), "round " + round + " from " + from);
                int pos = SuffixSearch.position(m);
                assertEquals(want, SuffixSearch.matchLength(old, pos, nw, from, 0), "the position holds the match");
            }
        }
    }

    @Test void anOldSuffixThatIsAPrefixOfTheNewTextDoesNotHideTheLongerMatch() {
        // mendsley/bsdiff #41: old = "000...010", new = "000...0"; the old suffix "0" at the very end
        // compares equal to new's first byte and sent bsdiff 4.3's search the wrong way
        byte[] old = new byte[1000];
        Arrays.fill(old, (byte) '0');
        old[998] = '1';
        byte[] nw = new byte[1000];
        Arrays.fill(nw, (byte) '0');
        long m = SuffixSearch.longestMatch(suffixArray(old), old, nw, 0);
        assertEquals(998, SuffixSearch.length(m));
        assertEquals(0, SuffixSearch.position(m));
    }

    /**
     * The case that hung bsdiff 4.3 (mendsley/bsdiff #41), the shape of a filesystem image's free space: old is
     * zeros ending in "1, 0", new is all zeros. With jbsdiff's search, making this patch for 200 KB did not
     * finish in 120 s (the 24 MiB systest slot pair: not in 10 CPU-minutes); here 1 MiB takes about a second.
     * The timeout only guards against that hang coming back; speed is measured in docs/benchmarks.md.
     */
    @Test @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void zeroRunsThatEndInAnOldSuffixDiffQuicklyAndApplyByteForByte() throws Exception {
        byte[] old = new byte[1 << 20];
        Arrays.fill(old, (byte) '0');
        old[old.length - 2] = '1';
        byte[] nw = new byte[1 << 20];
        Arrays.fill(nw, (byte) '0');
        for (int i = 0; i < 24; i++) nw[(700 << 10) + i] = (byte) (i + 1); // a new small file in the free space

        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        BsdiffMaker.Stats stats = new BsdiffMaker().diff(old, nw, patch);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        Patch.patch(old, patch.toByteArray(), rebuilt);
        assertArrayEquals(nw, rebuilt.toByteArray(), "jbsdiff rebuilds the new image from vgate's patch");
        assertTrue(patch.size() < 4096, "a 24-byte change in 1 MiB of zeros costs " + patch.size() + " bytes, " + stats);
    }
}
