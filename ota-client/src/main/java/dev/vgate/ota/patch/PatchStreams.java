package dev.vgate.ota.patch;

import dev.vgate.ota.OtaException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import static dev.vgate.ota.OtaException.Reason.CORRUPT_PATCH;

/** Opens one compressed block of a patch, choosing the decompressor by the block's magic bytes. */
final class PatchStreams {
    private PatchStreams() {}

    static InputStream open(PatchSource src, long start, long length, String name, int xzMemoryLimitKiB) throws OtaException {
        BufferedInputStream raw = new BufferedInputStream(new SourceRangeInputStream(src, start, length), 1 << 16);
        try {
            raw.mark(8);
            byte[] m = new byte[6];
            int n = raw.readNBytes(m, 0, 6);
            raw.reset();
            if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') return new BZip2CompressorInputStream(raw, false);
            if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) return new GzipCompressorInputStream(raw, false);
            if (n == 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0)
                return new XZInputStream(raw, xzMemoryLimitKiB);
            throw new OtaException(CORRUPT_PATCH, name + " block (" + length + " bytes at " + start + ") is not bzip2, gzip or xz");
        } catch (IOException | RuntimeException e) {
            throw new OtaException(CORRUPT_PATCH, name + " block cannot be opened: " + e.getMessage(), e);
        }
    }
}
