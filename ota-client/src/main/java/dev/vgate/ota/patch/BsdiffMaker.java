package dev.vgate.ota.patch;

import io.sigpipe.jbsdiff.sort.SuffixSort;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Makes BSDIFF40 patches that jbsdiff and vgate's {@link BsdiffApplier} read, but smaller than Debian's
 * bsdiff makes them:
 * <ul>
 *   <li>the three blocks are xz (LZMA2) streams at preset 9 with the "extreme" match finder settings and a
 *   dictionary as big as the block (capped, so the device's memory stays bounded), instead of bzip2 with
 *   its 900 KB blocks: the diff block of a large image is mostly zeros with sparse, repetitive deltas,
 *   which LZMA2's long-range matching and literal coding compress far better;</li>
 *   <li>the extra block (new code) is additionally tried through the x86 BCJ filter, and the smaller
 *   encoding is kept;</li>
 *   <li>the blocks hold exactly the bytes used (jbsdiff pads the diff and extra blocks to the new size).</li>
 * </ul>
 * The matching is bsdiff 4.3's (suffix array by qsufsort from jbsdiff, greedy extension with the
 * "8 mismatches" rule), ported here with its BSD licence from jbsdiff's Diff (Colorado State University),
 * except for the search: {@link SuffixSearch} finds the longest match in O(match + log n), where bsdiff's
 * search crawled through the zero runs of filesystem images for hours.
 * Holds old, new and the suffix array in memory (about 9 × the old size): a release-side tool.
 */
public final class BsdiffMaker {
    /** Largest xz dictionary used; the applier needs about this much memory per stream. */
    public static final int DEFAULT_MAX_DICT = 16 << 20;

    private final int maxDict;
    /** Bytes compared while crawling before the matching gives up improving on one match (16 MiB). */
    private static final long MAX_CRAWL_BYTES = 16L << 20;

    public BsdiffMaker() { this(DEFAULT_MAX_DICT); }

    public BsdiffMaker(int maxDict) { this.maxDict = maxDict; }

    /** Sizes of the blocks, for the make-patch report. */
    public record Stats(int triples, long diffBytes, long extraBytes, long controlXz, long diffXz, long extraXz) {}

    public Stats diff(byte[] oldBytes, byte[] newBytes, OutputStream out) throws IOException {
        int[] I = suffixArray(oldBytes);
        ByteArrayOutputStream ctrl = new ByteArrayOutputStream();
        byte[] db = new byte[newBytes.length];
        byte[] eb = new byte[newBytes.length];
        int dblen = 0, eblen = 0, triples = 0;
        byte[] t = new byte[24];

        int scan = 0, len = 0, pos = 0, lastScan = 0, lastPos = 0, lastOffset = 0;
        int oldLen = oldBytes.length, newLen = newBytes.length;
        while (scan < newLen) {
            int oldScore = 0;
            long crawled = 0;
            int scsc;
            for (scsc = scan += len; scan < newLen; scan++) {
                long match = SuffixSearch.longestMatch(I, oldBytes, newBytes, scan);
                len = SuffixSearch.length(match);
                pos = SuffixSearch.position(match);
                for (; scsc < scan + len; scsc++)
                    if (scsc + lastOffset < oldLen && oldBytes[scsc + lastOffset] == newBytes[scsc]) oldScore++;
                if ((len == oldScore && len != 0) || len > oldScore + 8) break;
                // bsdiff steps one byte at a time while the best match is at most 8 bytes better than the
                // current alignment, and each step costs the match's length: through a long run (free space in a
                // filesystem image) the scan is quadratic. Once this stretch has cost more than a budget of
                // compared bytes, take the match: a slightly bigger patch at worst, never a wrong one. A step
                // count (ChromiumOS's 100 near-misses) also cut the short, cheap crawls in code and made the
                // Linux driver patch 41 % bigger; a byte budget only stops the expensive ones.
                crawled += len;
                if (crawled > MAX_CRAWL_BYTES) break;
                if (scan + lastOffset < oldLen && oldBytes[scan + lastOffset] == newBytes[scan]) oldScore--;
            }
            if (len != oldScore || scan == newLen) {
                int s = 0, sf = 0, lenf = 0;
                for (int i = 0; lastScan + i < scan && lastPos + i < oldLen; ) {
                    if (oldBytes[lastPos + i] == newBytes[lastScan + i]) s++;
                    i++;
                    if (s * 2 - i > sf * 2 - lenf) { sf = s; lenf = i; }
                }
                int lenb = 0;
                if (scan < newLen) {
                    s = 0;
                    int sb = 0;
                    for (int i = 1; scan >= lastScan + i && pos >= i; i++) {
                        if (oldBytes[pos - i] == newBytes[scan - i]) s++;
                        if (s * 2 - i > sb * 2 - lenb) { sb = s; lenb = i; }
                    }
                }
                if (lastScan + lenf > scan - lenb) {
                    int overlap = (lastScan + lenf) - (scan - lenb);
                    s = 0;
                    int ss = 0, lens = 0;
                    for (int i = 0; i < overlap; i++) {
                        if (newBytes[lastScan + lenf - overlap + i] == oldBytes[lastPos + lenf - overlap + i]) s++;
                        if (newBytes[scan - lenb + i] == oldBytes[pos - lenb + i]) s--;
                        if (s > ss) { ss = s; lens = i + 1; }
                    }
                    lenf += lens - overlap;
                    lenb -= lens;
                }
                for (int i = 0; i < lenf; i++) db[dblen + i] = (byte) (newBytes[lastScan + i] - oldBytes[lastPos + i]);
                int extraLen = (scan - lenb) - (lastScan + lenf);
                System.arraycopy(newBytes, lastScan + lenf, eb, eblen, extraLen);
                dblen += lenf;
                eblen += extraLen;
                BsdiffHeader.writeOffset(lenf, t, 0);
                BsdiffHeader.writeOffset(extraLen, t, 8);
                BsdiffHeader.writeOffset((long) (pos - lenb) - (lastPos + lenf), t, 16);
                ctrl.write(t);
                triples++;
                lastScan = scan - lenb;
                lastPos = pos - lenb;
                lastOffset = pos - scan;
            }
        }
        I = null;
        byte[] c = ctrl.toByteArray();
        // literal context bits tuned per block on the linux 6.1 network-driver pair (docs/ota.md):
        // control = 24-byte records of 8-byte little-endian numbers (lp=pb=2 align with them),
        // diff = mostly zeros with small deltas (little literal context helps), extra = new code (defaults).
        byte[] cz = xz(c, c.length, false, 0, 2, 2);
        byte[] dz = xz(db, dblen, false, 1, 0, 0);
        byte[] ez = xz(eb, eblen, false, 3, 0, 2);
        if (eblen > 0) {
            byte[] ezBcj = xz(eb, eblen, true, 3, 0, 2);
            if (ezBcj.length < ez.length) ez = ezBcj;
        }
        out.write(new BsdiffHeader(cz.length, dz.length, ez.length, newLen).toBytes());
        out.write(cz);
        out.write(dz);
        out.write(ez);
        return new Stats(triples, dblen, eblen, cz.length, dz.length, ez.length);
    }

    /**
     * Stack reserved for the suffix sort. qsufsort's split() recurses once per unbalanced partition; on real
     * ext4 root filesystem images (long runs of zeros and repeated metadata blocks) it overflowed the
     * default 1-2 MiB thread stack (found by systest/ on a 96 MiB slot image). The memory is only reserved,
     * pages are committed as the recursion actually reaches them.
     */
    static final long SORT_STACK_BYTES = 1L << 30;

    private static int[] suffixArray(byte[] old) throws IOException {
        int[] I = new int[old.length + 1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                SuffixSort.qsufsort(I, new int[old.length + 1], old);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "bsdiff-suffix-sort", SORT_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sorting the old image");
        }
        if (failure[0] instanceof StackOverflowError so)
            throw new IOException("suffix sort of the " + old.length + "-byte old image overflowed a " + (SORT_STACK_BYTES >> 20) + " MiB stack", so);
        if (failure[0] instanceof Error e) throw e;
        if (failure[0] instanceof RuntimeException e) throw e;
        return I;
    }

    private byte[] xz(byte[] data, int len, boolean x86, int lc, int lp, int pb) throws IOException {
        LZMA2Options o = new LZMA2Options(9);
        o.setLcLp(lc, lp);
        o.setPb(pb);
        o.setMatchFinder(LZMA2Options.MF_BT4);
        o.setNiceLen(LZMA2Options.NICE_LEN_MAX);
        o.setDepthLimit(512);
        // A dictionary no bigger than the data: the decoder allocates the full dictionary size.
        o.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(maxDict, len)));
        ByteArrayOutputStream bo = new ByteArrayOutputStream(Math.max(64, len / 8));
        FilterOptions[] f = x86 ? new FilterOptions[] {new X86Options(), o} : new FilterOptions[] {o};
        try (XZOutputStream xo = new XZOutputStream(bo, f, org.tukaani.xz.XZ.CHECK_CRC32)) {
            xo.write(data, 0, len);
        }
        return bo.toByteArray();
    }
}
