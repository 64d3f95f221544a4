package dev.vgate.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a small file with a byte limit, so a path to /dev/zero or a huge file is refused, not read into memory. */
public final class Bounded {
    private Bounded() {}

    public static byte[] read(Path file, int maxBytes, String what) throws TrustException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) throw new TrustException(file + ": " + what + " larger than " + maxBytes + " bytes");
            return b;
        } catch (IOException e) {
            throw new TrustException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
