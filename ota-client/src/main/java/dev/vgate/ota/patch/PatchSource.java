package dev.vgate.ota.patch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Random-access read of a patch, so its three streams can be read side by side without loading it. */
public interface PatchSource {
    long size() throws IOException;

    /** Positional read like {@link FileChannel#read(ByteBuffer, long)}: -1 at the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    static PatchSource of(FileChannel ch) {
        return new PatchSource() {
            @Override public long size() throws IOException { return ch.size(); }
            @Override public int read(ByteBuffer dst, long position) throws IOException { return ch.read(dst, position); }
        };
    }

    static PatchSource of(byte[] bytes) {
        return new PatchSource() {
            @Override public long size() { return bytes.length; }
            @Override public int read(ByteBuffer dst, long position) {
                if (position >= bytes.length) return -1;
                int n = (int) Math.min(dst.remaining(), bytes.length - position);
                dst.put(bytes, (int) position, n);
                return n;
            }
        };
    }
}
