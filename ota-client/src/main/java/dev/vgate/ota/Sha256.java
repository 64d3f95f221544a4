package dev.vgate.ota;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers that stream from disk with a small buffer (images are never held in memory). */
public final class Sha256 {
    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Hash of the first {@code length} bytes of {@code file}; fails if the file is shorter. */
    public static byte[] ofPrefix(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ofPrefix(ch, length, file.toString());
        }
    }

    public static byte[] ofPrefix(FileChannel ch, long length, String what) throws IOException {
        MessageDigest md = newDigest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = 0;
        while (pos < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException(what + " ends at " + pos + ", expected " + length + " bytes");
            buf.flip();
            md.update(buf);
            pos += n;
        }
        return md.digest();
    }

    public static byte[] ofFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ofPrefix(ch, ch.size(), file.toString());
        }
    }

    public static String hex(byte[] hash) { return HexFormat.of().formatHex(hash); }
}
