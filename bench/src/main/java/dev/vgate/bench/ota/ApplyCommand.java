package dev.vgate.bench.ota;

import dev.vgate.ota.patch.BsdiffApplier;
import dev.vgate.ota.patch.PatchSource;
import io.sigpipe.jbsdiff.Patch;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Applies a patch once and prints the time and throughput (new-image MB/s); peak memory is measured from
 * outside ({@code /usr/bin/time -v}, maximum resident set size).
 * <ul>
 *   <li>{@code vgate OLD PATCH OUT}: vgate's streaming {@link BsdiffApplier} (old read with random access,
 *   new written sequentially, SHA-256 computed on the way), then fsync — the installer's path;</li>
 *   <li>{@code jbsdiff OLD PATCH OUT}: jbsdiff 1.0's {@code Patch.patch}, which holds old, patch and new in
 *   byte arrays (images below 2 GiB only).</li>
 * </ul>
 */
public final class ApplyCommand {
    public static void main(String[] args) throws Exception {
        String impl = args[0];
        Path old = Path.of(args[1]), patch = Path.of(args[2]), out = Path.of(args[3]);
        long t0 = System.nanoTime();
        long newSize;
        if (impl.equals("vgate")) {
            try (FileChannel p = FileChannel.open(patch, StandardOpenOption.READ);
                 FileChannel o = FileChannel.open(old, StandardOpenOption.READ);
                 FileChannel n = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                newSize = new BsdiffApplier().apply(PatchSource.of(p), o, o.size(), n, Long.MAX_VALUE, (done, total) -> {}).newSize();
                n.force(true);
            }
        } else if (impl.equals("jbsdiff")) {
            byte[] o = Files.readAllBytes(old), p = Files.readAllBytes(patch);
            try (OutputStream n = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
                Patch.patch(o, p, n);
            }
            newSize = Files.size(out);
        } else {
            throw new IllegalArgumentException("first argument: vgate or jbsdiff");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d B new image in %.1f s = %.1f MB/s (max heap %d MiB)%n", impl, newSize, s, newSize / 1e6 / s,
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
