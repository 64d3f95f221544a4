package dev.vgate.ota.install;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.download.DownloadListener;
import dev.vgate.ota.download.HttpDownloader;
import dev.vgate.protocol.ota.Artifact;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.vgate.ota.OtaException.Reason.DOWNLOAD_FAILED;
import static dev.vgate.ota.OtaException.Reason.IO;
import static dev.vgate.ota.OtaException.Reason.PATCH_HASH_MISMATCH;

/** Where the installer gets the patch or full image; every implementation checks size and SHA-256. */
public interface ArtifactSource {
    /** @param kind "patch" or "full-image" */
    Path fetch(String kind, Artifact artifact, DownloadListener listener) throws OtaException;

    /** Downloads into a directory with {@link HttpDownloader} (resumable across restarts). */
    static ArtifactSource http(HttpDownloader downloader, Path dir) {
        return (kind, a, listener) -> {
            Path dest = dir.resolve(kind + "-" + Sha256.hex(a.getSha256().toByteArray()).substring(0, 16) + ".bin");
            if (Files.exists(dest)) {
                try {
                    if (Files.size(dest) == a.getSize() && Arrays.equals(Sha256.ofFile(dest), a.getSha256().toByteArray())) return dest;
                    Files.delete(dest);
                } catch (IOException e) {
                    throw new OtaException(IO, "checking " + dest + ": " + e.getMessage(), e);
                }
            }
            List<URI> urls = a.getUrlsList().stream().map(URI::create).toList();
            downloader.download(urls, a.getSize(), a.getSha256().toByteArray(), dest, listener);
            return dest;
        };
    }

    /** Files given on the command line ({@code vgate ota apply}); keyed by kind. */
    static ArtifactSource local(java.util.Map<String, Path> files) {
        return (kind, a, listener) -> {
            Path p = files.get(kind);
            if (p == null) throw new OtaException(DOWNLOAD_FAILED, "no local " + kind + " file was given");
            try {
                long size = Files.size(p);
                if (size != a.getSize())
                    throw new OtaException(PATCH_HASH_MISMATCH, kind + " " + p + " is " + size + " bytes, manifest says " + a.getSize());
                byte[] h = Sha256.ofFile(p);
                if (!Arrays.equals(h, a.getSha256().toByteArray()))
                    throw new OtaException(PATCH_HASH_MISMATCH, kind + " " + p + " has SHA-256 " + Sha256.hex(h) + ", manifest says " + Sha256.hex(a.getSha256().toByteArray()));
            } catch (IOException e) {
                throw new OtaException(IO, "reading " + p + ": " + e.getMessage(), e);
            }
            return p;
        };
    }
}
