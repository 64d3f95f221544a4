package dev.vgate.ota.patch;

import dev.vgate.ota.Images;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;
import io.sigpipe.jbsdiff.DefaultDiffSettings;
import io.sigpipe.jbsdiff.Diff;
import io.sigpipe.jbsdiff.Patch;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BsdiffApplierTest {
    @TempDir static Path dir;
    static byte[] oldImg, newImg;
    static Path oldFile;

    @BeforeAll static void images() throws Exception {
        oldImg = Images.old(300_000, 1);
        newImg = Images.next(oldImg, 2);
        oldFile = dir.resolve("old.img");
        Files.write(oldFile, oldImg);
    }

    static byte[] apply(byte[] patch) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel old = FileChannel.open(oldFile, StandardOpenOption.READ)) {
            BsdiffApplier.Result r = new BsdiffApplier().apply(PatchSource.of(patch), old, oldImg.length, Channels.newChannel(out), 1 << 24, BsdiffApplier.Progress.NONE);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()), r.sha256());
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {CompressorStreamFactory.BZIP2, CompressorStreamFactory.GZIP, CompressorStreamFactory.XZ})
    void appliesJbsdiffPatchesLikeJbsdiff(String compression) throws Exception {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        Diff.diff(oldImg, newImg, p, new DefaultDiffSettings(compression));
        ByteArrayOutputStream oracle = new ByteArrayOutputStream();
        Patch.patch(oldImg, p.toByteArray(), oracle);
        assertArrayEquals(newImg, oracle.toByteArray());
        assertArrayEquals(oracle.toByteArray(), apply(p.toByteArray()));
    }

    @Test void makerPatchesApplyWithJbsdiffAndVgateAndAreSmaller() throws Exception {
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        new BsdiffMaker().diff(oldImg, newImg, mine);
        ByteArrayOutputStream oracle = new ByteArrayOutputStream();
        Patch.patch(oldImg, mine.toByteArray(), oracle);
        assertArrayEquals(newImg, oracle.toByteArray());
        assertArrayEquals(newImg, apply(mine.toByteArray()));
        ByteArrayOutputStream bz = new ByteArrayOutputStream();
        Diff.diff(oldImg, newImg, bz);
        assertTrue(mine.size() < bz.size(), "xz patch " + mine.size() + " vs bzip2 " + bz.size());
    }

    @Test void emptyNewImage() throws Exception {
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        new BsdiffMaker().diff(oldImg, new byte[0], mine);
        assertEquals(0, apply(mine.toByteArray()).length);
    }

    static byte[] patch() throws Exception {
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        new BsdiffMaker().diff(oldImg, newImg, mine);
        return mine.toByteArray();
    }

    static OtaException.Reason rejection(byte[] patch) {
        return assertThrows(OtaException.class, () -> apply(patch)).reason();
    }

    @Test void truncatedPatchIsCorrupt() throws Exception {
        byte[] p = patch();
        for (int cut : new int[] {0, 8, 31, 40, p.length / 2, p.length - 1}) {
            byte[] t = java.util.Arrays.copyOf(p, cut);
            assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(t), "cut at " + cut);
        }
    }

    @Test void flippedBytesAreCorrupt() throws Exception {
        byte[] p = patch();
        for (int at : new int[] {0, 9, 40, p.length / 3, p.length / 2, p.length - 20}) {
            byte[] f = p.clone();
            f[at] ^= 0x5a;
            assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(f), "flip at " + at);
        }
    }

    /** A patch with hand-written control triples, each stream xz-compressed by the maker's settings. */
    static byte[] craft(long newSize, long[]... triples) throws Exception {
        byte[] ctrl = new byte[24 * triples.length];
        for (int i = 0; i < triples.length; i++)
            for (int j = 0; j < 3; j++) BsdiffHeader.writeOffset(triples[i][j], ctrl, 24 * i + 8 * j);
        byte[] c = gz(ctrl), d = gz(new byte[(int) Math.min(newSize, 64)]), e = gz(new byte[(int) Math.min(newSize, 64)]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new BsdiffHeader(c.length, d.length, e.length, newSize).toBytes());
        out.write(c);
        out.write(d);
        out.write(e);
        return out.toByteArray();
    }

    static byte[] gz(byte[] b) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (var g = new java.util.zip.GZIPOutputStream(o)) { g.write(b); }
        return o.toByteArray();
    }

    @Test void everyControlTripleIsBoundsChecked() throws Exception {
        assertArrayEquals(new byte[10], java.util.Arrays.copyOf(apply(craft(10, new long[] {0, 10, 0})), 10)); // a valid craft
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(10, new long[] {-1, 0, 0})));
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(10, new long[] {0, -5, 0})));
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(10, new long[] {11, 0, 0})));
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(10, new long[] {5, 6, 0})));
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(10, new long[] {Long.MAX_VALUE, Long.MAX_VALUE, 0})));
        // diff run reads the old image beyond its end / before its start
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(20, new long[] {0, 0, oldImg.length - 5}, new long[] {10, 0, 0})));
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(20, new long[] {0, 0, -3}, new long[] {10, 0, 0})));
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(20, new long[] {0, 0, Long.MAX_VALUE}, new long[] {0, 0, Long.MAX_VALUE})));
        // control stream ends before the new size is reached
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(100, new long[] {0, 10, 0})));
        // new size larger than the slot allows
        assertEquals(OtaException.Reason.CORRUPT_PATCH, rejection(craft(1L << 40, new long[] {0, 10, 0})));
    }

    @Test void offsetsUse64Bits() {
        byte[] b = new byte[8];
        for (long v : new long[] {0, 1, -1, 1L << 33, -(1L << 40), Long.MAX_VALUE, -Long.MAX_VALUE}) {
            BsdiffHeader.writeOffset(v, b, 0);
            assertEquals(v, BsdiffHeader.readOffset(b, 0));
        }
    }

    @Test void hashOfSlotMatchesAfterFileApply() throws Exception {
        Path out = dir.resolve("new.img");
        Files.write(out, new byte[newImg.length + 1000]);
        try (FileChannel old = FileChannel.open(oldFile, StandardOpenOption.READ); FileChannel o = FileChannel.open(out, StandardOpenOption.WRITE)) {
            new BsdiffApplier().apply(PatchSource.of(patch()), old, oldImg.length, o, newImg.length, BsdiffApplier.Progress.NONE);
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(newImg), Sha256.ofPrefix(out, newImg.length));
    }
}
