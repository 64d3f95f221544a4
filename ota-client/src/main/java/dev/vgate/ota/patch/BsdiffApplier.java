package dev.vgate.ota.patch;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

import static dev.vgate.ota.OtaException.Reason.CORRUPT_PATCH;
import static dev.vgate.ota.OtaException.Reason.IO;

/**
 * Streaming BSDIFF40 applier. The old image is read with positional reads, the new image is written
 * strictly sequentially, and the three patch streams are decompressed side by side; memory use is a few
 * 64 KiB buffers plus the decompressors' state (xz bounded by a memory limit), whatever the image size.
 * <p>
 * Every control triple is checked before it is used: lengths non-negative, the diff and extra runs inside
 * the new image, the diff run inside the old image, the seek without overflow. Offsets are 64-bit. A patch
 * that fails any check, or whose streams end early, is rejected as {@link OtaException.Reason#CORRUPT_PATCH};
 * a failing read of the old image or write of the new one is {@link OtaException.Reason#IO}.
 */
public final class BsdiffApplier {
    private static final int CHUNK = 1 << 16;
    /** Default xz memory limit per stream: enough for a 16 MiB dictionary (vgate's make-patch default). */
    public static final int DEFAULT_XZ_LIMIT_KIB = 24 * 1024;

    /** Told how far the output is; may throw to abort (used by the power-cut simulation). */
    public interface Progress {
        Progress NONE = (done, total) -> {};
        void written(long done, long total) throws OtaException;
    }

    /** What was written: its length and the SHA-256 of the bytes as they were written. */
    public record Result(long newSize, byte[] sha256) {}

    private final int xzMemoryLimitKiB;

    public BsdiffApplier() { this(DEFAULT_XZ_LIMIT_KIB); }

    public BsdiffApplier(int xzMemoryLimitKiB) { this.xzMemoryLimitKiB = xzMemoryLimitKiB; }

    /** Reads the header only (to check the new size against the slot before writing anything). */
    public static BsdiffHeader header(PatchSource patch) throws OtaException {
        try {
            byte[] h = new byte[BsdiffHeader.SIZE];
            ByteBuffer bb = ByteBuffer.wrap(h);
            long size = patch.size();
            while (bb.hasRemaining()) {
                if (patch.read(bb, bb.position()) < 0) break;
            }
            return BsdiffHeader.parse(h, bb.position() < BsdiffHeader.SIZE ? bb.position() : size);
        } catch (IOException e) {
            throw new OtaException(IO, "cannot read patch header: " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code patch} to {@code old} (its first {@code oldSize} bytes) and writes the new image to
     * {@code out} from its current position. The new image may be at most {@code maxNewSize} bytes.
     */
    public Result apply(PatchSource patch, FileChannel old, long oldSize, WritableByteChannel out, long maxNewSize,
                        Progress progress) throws OtaException {
        BsdiffHeader h = header(patch);
        if (h.newSize() > maxNewSize)
            throw new OtaException(CORRUPT_PATCH, "patch makes a " + h.newSize() + "-byte image, more than the allowed " + maxNewSize);
        long base = BsdiffHeader.SIZE;
        try (InputStream ctrl = PatchStreams.open(patch, base, h.controlLength(), "control", xzMemoryLimitKiB);
             InputStream diff = PatchStreams.open(patch, base + h.controlLength(), h.diffLength(), "diff", xzMemoryLimitKiB);
             InputStream extra = PatchStreams.open(patch, base + h.controlLength() + h.diffLength(), h.extraLength(), "extra", xzMemoryLimitKiB)) {
            return run(h.newSize(), ctrl, diff, extra, old, oldSize, out, progress);
        } catch (IOException e) {
            throw new OtaException(IO, "closing patch streams: " + e.getMessage(), e);
        }
    }

    private Result run(long newSize, InputStream ctrl, InputStream diff, InputStream extra, FileChannel old, long oldSize,
                       WritableByteChannel out, Progress progress) throws OtaException {
        MessageDigest md = Sha256.newDigest();
        byte[] triple = new byte[24];
        byte[] buf = new byte[CHUNK];
        byte[] oldBuf = new byte[CHUNK];
        long newPos = 0, oldPos = 0;
        while (newPos < newSize) {
            readFully(ctrl, triple, 24, "control", newPos);
            long d = BsdiffHeader.readOffset(triple, 0), e = BsdiffHeader.readOffset(triple, 8), s = BsdiffHeader.readOffset(triple, 16);
            if (d < 0 || e < 0)
                throw new OtaException(CORRUPT_PATCH, "negative run in control triple (" + d + ", " + e + ", " + s + ") at output offset " + newPos);
            if (d > newSize - newPos || e > newSize - newPos - d)
                throw new OtaException(CORRUPT_PATCH, "control triple (" + d + ", " + e + ", " + s + ") at output offset " + newPos + " runs past the new size " + newSize);
            if (d > 0 && (oldPos < 0 || oldPos > oldSize || d > oldSize - oldPos))
                throw new OtaException(CORRUPT_PATCH, "diff run of " + d + " bytes at old offset " + oldPos + " lies outside the " + oldSize + "-byte old image");
            for (long left = d; left > 0; ) {
                int n = (int) Math.min(CHUNK, left);
                readFully(diff, buf, n, "diff", newPos);
                readOld(old, oldBuf, n, oldPos);
                for (int i = 0; i < n; i++) buf[i] += oldBuf[i];
                write(out, md, buf, n, newPos);
                left -= n;
                newPos += n;
                oldPos += n;
                progress.written(newPos, newSize);
            }
            for (long left = e; left > 0; ) {
                int n = (int) Math.min(CHUNK, left);
                readFully(extra, buf, n, "extra", newPos);
                write(out, md, buf, n, newPos);
                left -= n;
                newPos += n;
                progress.written(newPos, newSize);
            }
            try {
                oldPos = Math.addExact(oldPos, s);
            } catch (ArithmeticException ex) {
                throw new OtaException(CORRUPT_PATCH, "seek " + s + " overflows the old offset at output offset " + newPos);
            }
        }
        // Read each stream to its end so its integrity checks (xz/bzip2 CRCs, gzip trailer) run even where
        // no more data was needed. jbsdiff pads the diff and extra streams to the new size + 1: tolerated.
        drain(ctrl, 0, "control", newPos);
        drain(diff, newSize + 1, "diff", newPos);
        drain(extra, newSize + 1, "extra", newPos);
        return new Result(newSize, md.digest());
    }

    private static void drain(InputStream in, long allowed, String stream, long newPos) throws OtaException {
        byte[] b = new byte[CHUNK];
        long extra = 0;
        try {
            for (int n; (n = in.read(b)) >= 0; ) {
                extra += n;
                if (extra > allowed) throw new OtaException(CORRUPT_PATCH, stream + " stream holds more data than the patch uses");
            }
        } catch (IOException | RuntimeException e) {
            throw new OtaException(CORRUPT_PATCH, stream + " stream is damaged after its last used byte: " + e, e);
        }
    }

    /** Read-fully from a decompressing stream; a short stream or a decoder failure means a corrupt patch. */
    private static void readFully(InputStream in, byte[] b, int len, String stream, long newPos) throws OtaException {
        int off = 0;
        try {
            while (off < len) {
                int n = in.read(b, off, len - off);
                if (n < 0) throw new OtaException(CORRUPT_PATCH, stream + " stream ends early (needed " + (len - off) + " more bytes at output offset " + newPos + ")");
                off += n;
            }
        } catch (IOException | RuntimeException e) {
            // commons-compress and xz report damaged input as IOException (sometimes as a runtime exception)
            throw new OtaException(CORRUPT_PATCH, stream + " stream is damaged at output offset " + newPos + ": " + e, e);
        }
    }

    private static void readOld(FileChannel old, byte[] b, int len, long pos) throws OtaException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
        try {
            while (bb.hasRemaining()) {
                if (old.read(bb, pos + bb.position()) < 0)
                    throw new OtaException(IO, "old image ends at " + (pos + bb.position()) + " (shorter than its declared size)");
            }
        } catch (IOException e) {
            throw new OtaException(IO, "reading old image at " + pos + ": " + e.getMessage(), e);
        }
    }

    private static void write(WritableByteChannel out, MessageDigest md, byte[] b, int len, long newPos) throws OtaException {
        md.update(b, 0, len);
        ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
        try {
            while (bb.hasRemaining()) out.write(bb);
        } catch (IOException e) {
            throw new OtaException(IO, "writing new image at " + newPos + ": " + e.getMessage(), e);
        }
    }
}
