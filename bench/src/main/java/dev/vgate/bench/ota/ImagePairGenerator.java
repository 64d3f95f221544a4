package dev.vgate.bench.ota;

import dev.vgate.ota.patch.BsdiffHeader;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a synthetic firmware image pair of any size (a 1 GiB pair in the benchmark) and the BSDIFF40
 * patch between them, without diffing: the generator knows the edits, so it writes the control triples,
 * diff and extra bytes directly (bsdiff itself needs about 9x the image size in RAM, too much for 1 GiB).
 * The streams are bzip2 (the only compression Debian's bspatch reads) made by the system {@code bzip2}.
 *
 * <p>The old image is a sequence of 1 MiB "files": 20 % zero-filled free space, 35 % incompressible
 * (compressed assets), 45 % code-like (4-byte words from a small vocabulary with embedded addresses).
 * The new image walks through the old one: most regions are copied unchanged, about a fifth of them with
 * relocation-style edits (one byte in ~200 changed by a small delta, as recompiled code shifts addresses);
 * new data is inserted (about 1 % of the image), regions are deleted and a few are moved (backward seeks).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vgate.bench.ota.ImagePairGenerator DIR SIZE_MIB [SEED]} →
 * DIR/old.img, DIR/new.img, DIR/patch.bin.
 */
public final class ImagePairGenerator {
    private static final int FILE = 1 << 20;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]) << 20;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        byte[] old = null; // never held whole: written file by file
        writeOld(dir.resolve("old.img"), size, seed);
        Stats st = writeNewAndPatch(dir, size, seed + 1);
        System.out.printf("old %,d B, new %,d B, patch %,d B (%d triples, %,d diff bytes of which %,d non-zero, %,d extra), %.1f s%n",
                size, st.newSize, Files.size(dir.resolve("patch.bin")), st.triples, st.diffBytes, st.nonZero, st.extraBytes,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Deterministic content of old-image file number {@code f}, so the new-image pass can re-create it. */
    static void oldFile(long f, long seed, byte[] out) {
        Random r = new Random(seed * 1_000_003L + f);
        int kind = r.nextInt(100);
        if (kind < 20) {
            java.util.Arrays.fill(out, (byte) 0);
        } else if (kind < 55) {
            r.nextBytes(out);
        } else {
            int[] vocab = new int[64];
            for (int i = 0; i < vocab.length; i++) vocab[i] = r.nextInt();
            for (int i = 0; i < out.length; i += 4) {
                int w = (i & 63) == 32 ? (int) (f * FILE + i) : vocab[r.nextInt(vocab.length)];
                out[i] = (byte) w;
                out[i + 1] = (byte) (w >>> 8);
                out[i + 2] = (byte) (w >>> 16);
                out[i + 3] = (byte) (w >>> 24);
            }
        }
    }

    static void writeOld(Path p, long size, long seed) throws IOException {
        byte[] buf = new byte[FILE];
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
            for (long f = 0; f * FILE < size; f++) {
                oldFile(f, seed, buf);
                o.write(buf, 0, (int) Math.min(FILE, size - f * FILE));
            }
        }
    }

    record Stats(long newSize, long triples, long diffBytes, long nonZero, long extraBytes) {}

    static Stats writeNewAndPatch(Path dir, long size, long seed) throws Exception {
        Random r = new Random(seed);
        Path ctrlZ = dir.resolve("ctrl.bz2"), diffZ = dir.resolve("diff.bz2"), extraZ = dir.resolve("extra.bz2");
        Process ctrlP = bzip2(ctrlZ), diffP = bzip2(diffZ), extraP = bzip2(extraZ);
        long newPos = 0, oldPos = 0, triples = 0, diffBytes = 0, nonZero = 0, extraBytes = 0;
        byte[] oldBuf = new byte[FILE], d = new byte[FILE], e = new byte[256 * 1024], ctrl = new byte[24];
        try (OutputStream ctrlO = new BufferedOutputStream(ctrlP.getOutputStream(), 1 << 16);
             OutputStream diffO = new BufferedOutputStream(diffP.getOutputStream(), 1 << 20);
             OutputStream extraO = new BufferedOutputStream(extraP.getOutputStream(), 1 << 20);
             OutputStream newO = new BufferedOutputStream(Files.newOutputStream(dir.resolve("new.img")), 1 << 20)) {
            long oldFileNo = -1;
            while (newPos < size) {
                // copy a region from the old image (never across the old image's end)
                long copy = Math.min(Math.min(64 * 1024L + r.nextInt(4 << 20), size - oldPos), size - newPos);
                boolean relocated = r.nextInt(5) == 0;
                for (long left = copy; left > 0; ) {
                    long f = oldPos / FILE;
                    if (f != oldFileNo) {
                        oldFile(f, seed - 1, oldBuf);
                        oldFileNo = f;
                    }
                    int off = (int) (oldPos % FILE), n = (int) Math.min(left, FILE - off);
                    for (int i = 0; i < n; i++) {
                        byte delta = relocated && r.nextInt(200) == 0 ? (byte) (1 + r.nextInt(8)) : 0;
                        d[i] = delta;
                        if (delta != 0) nonZero++;
                    }
                    diffO.write(d, 0, n);
                    for (int i = 0; i < n; i++) d[i] += oldBuf[off + i];
                    newO.write(d, 0, n);
                    left -= n;
                    oldPos += n;
                    newPos += n;
                }
                diffBytes += copy;
                // sometimes insert new data: code-like or incompressible
                int extra = r.nextInt(4) == 0 ? (int) Math.min(4096 + r.nextInt(e.length - 4096), size - newPos) : 0;
                if (extra > 0) {
                    if (r.nextBoolean()) r.nextBytes(e);
                    else for (int i = 0; i < extra; i++) e[i] = (byte) "mov r0, #0x1f; bl 0x8000; ".charAt((i + r.nextInt(3)) % 26);
                    extraO.write(e, 0, extra);
                    newO.write(e, 0, extra);
                    newPos += extra;
                    extraBytes += extra;
                }
                // then skip ahead (deleted data), rarely jump back (a moved region)
                long seek = r.nextInt(10) == 0 ? -Math.min(oldPos, (long) r.nextInt(8 << 20)) : extra == 0 ? 0 : r.nextInt(2 * extra);
                if (oldPos + seek >= size) seek = -oldPos; // wrap to the start: still valid bsdiff
                if (newPos >= size) seek = 0;
                BsdiffHeader.writeOffset(copy, ctrl, 0);
                BsdiffHeader.writeOffset(extra, ctrl, 8);
                BsdiffHeader.writeOffset(seek, ctrl, 16);
                ctrlO.write(ctrl);
                oldPos += seek;
                triples++;
            }
        }
        for (Process p : List.of(ctrlP, diffP, extraP))
            if (p.waitFor() != 0) throw new IOException("bzip2 exited " + p.exitValue());
        long c = Files.size(ctrlZ), dl = Files.size(diffZ);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(dir.resolve("patch.bin")))) {
            o.write(new BsdiffHeader(c, dl, Files.size(extraZ), newPos).toBytes());
            for (Path z : List.of(ctrlZ, diffZ, extraZ)) {
                try (InputStream in = Files.newInputStream(z)) {
                    in.transferTo(o);
                }
                Files.delete(z);
            }
        }
        return new Stats(newPos, triples, diffBytes, nonZero, extraBytes);
    }

    private static Process bzip2(Path out) throws IOException {
        return new ProcessBuilder("bzip2", "-9", "-c").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
