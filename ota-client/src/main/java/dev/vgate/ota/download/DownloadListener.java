package dev.vgate.ota.download;

import dev.vgate.ota.OtaException;

/** Download progress: bytes on disk so far (including a resumed prefix) and the expected total. */
@FunctionalInterface
public interface DownloadListener {
    DownloadListener NONE = (done, total) -> {};

    void progress(long done, long total) throws OtaException;
}
