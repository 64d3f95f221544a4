package dev.vgate.buffer.wire;

import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/** The final general-purpose stage over a batch's chunk list. Codes are those of the wire enum. */
public enum Compression {
    NONE(0),
    /** .xz with LZMA2 preset 9 (extreme): the smallest batches; the vehicle pays CPU once per batch. */
    XZ(1),
    DEFLATE(2);

    /**
     * The XZ encoder's dictionary is at most this large. Its match finder takes about 11 times the dictionary
     * in heap, for every batch: a dictionary as large as an 8 MiB batch meant ~90 MiB of garbage per batch and
     * an OutOfMemoryError in the daemon's 24 MiB heap (docs/benchmarks.md, "Footprint"). 256 KiB keeps that
     * near 3 MiB; a batch's chunks rarely repeat each other across more than that.
     */
    public static final int XZ_MAX_DICT = 256 << 10;

    /**
     * The XZ encoder's large arrays (match finder, buffers: ~4 MiB a batch) are reused from batch to batch
     * instead of allocated anew: allocated anew they went straight to the small heap's old generation and
     * forced a full collection per batch while a backlog drained. Softly held, so a heap under pressure may
     * still take them back.
     */
    private static final ArrayCache XZ_ARRAYS = new BasicArrayCache();

    /** Decompressed batches larger than this are refused (a hostile or corrupt file must not exhaust memory). */
    public static final int MAX_DECOMPRESSED = 256 << 20;

    private final int code;

    Compression(int code) { this.code = code; }

    public int code() { return code; }

    public static Compression ofCode(int code) throws WireException {
        for (Compression c : values()) if (c.code == code) return c;
        throw new WireException("unknown compression " + code);
    }

    public byte[] compress(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            switch (this) {
                case NONE: return data;
                case XZ: {
                    LZMA2Options o = new LZMA2Options(9);
                    o.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(data.length, XZ_MAX_DICT)));
                    try (XZOutputStream xz = new XZOutputStream(out, o, org.tukaani.xz.XZ.CHECK_CRC32, XZ_ARRAYS)) {
                        xz.write(data);
                    }
                    break;
                }
                case DEFLATE: {
                    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(9))) {
                        d.write(data);
                    }
                    break;
                }
                default: throw new IllegalStateException(name());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory " + this + " compression failed", e);
        }
    }

    public byte[] decompress(byte[] data) throws WireException {
        if (this == NONE) return data;
        try (InputStream in = this == XZ ? new XZInputStream(new ByteArrayInputStream(data)) : new InflaterInputStream(new ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 8);
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_DECOMPRESSED) throw new WireException(this + " payload expands beyond " + MAX_DECOMPRESSED + " bytes");
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new WireException("corrupt " + this + " payload: " + e.getMessage(), e);
        }
    }
}
