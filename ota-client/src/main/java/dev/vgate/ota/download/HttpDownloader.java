package dev.vgate.ota.download;

import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vgate.ota.OtaException.Reason.DOWNLOAD_FAILED;
import static dev.vgate.ota.OtaException.Reason.IO;
import static dev.vgate.ota.OtaException.Reason.PATCH_HASH_MISMATCH;

/**
 * Downloads an artifact of known size and SHA-256 into {@code dest} with java.net.http.
 * <p>
 * Bytes go to {@code dest.part} and are fsynced as they arrive; after any interruption (a dropped
 * connection, a timeout, a restart of the process) the next attempt asks for the rest with
 * {@code Range: bytes=N-} and appends if the server answers 206 with a matching Content-Range, or starts over
 * on 200. Attempts are bounded and back off exponentially. The finished file is hashed from disk and only
 * renamed to {@code dest} when size and SHA-256 match; a mismatching download is deleted (never resumed).
 */
public final class HttpDownloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private final HttpClient client;
    private final DownloadPolicy policy;
    private final Sleeper sleeper;
    private final java.util.function.LongSupplier nanoTime;

    public HttpDownloader(DownloadPolicy policy) { this(policy, Sleeper.REAL, System::nanoTime); }

    /** @param nanoTime the monotonic clock the bandwidth cap measures against (advanced by {@code sleeper} in tests) */
    public HttpDownloader(DownloadPolicy policy, Sleeper sleeper, java.util.function.LongSupplier nanoTime) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.client = HttpClient.newBuilder().connectTimeout(policy.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static Path partFile(Path dest) { return dest.resolveSibling(dest.getFileName() + ".part"); }

    public void download(List<URI> urls, long size, byte[] sha256, Path dest, DownloadListener listener) throws OtaException {
        if (urls.isEmpty()) throw new OtaException(DOWNLOAD_FAILED, "no URL to download " + dest.getFileName() + " from");
        Path part = partFile(dest);
        long backoff = policy.initialBackoff().toMillis();
        OtaException last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            URI url = urls.get((attempt - 1) % urls.size());
            try {
                fetch(url, size, part, listener);
                finish(part, size, sha256, dest);
                return;
            } catch (OtaException e) {
                if (e.reason() != DOWNLOAD_FAILED) throw e;
                last = e;
                Logger.warn("download attempt {}/{} from {} failed: {}", attempt, policy.maxAttempts(), url, e.getMessage());
            }
            if (attempt < policy.maxAttempts()) {
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new OtaException(DOWNLOAD_FAILED, "interrupted while backing off", ie);
                }
                backoff = Math.min(backoff * 2, policy.maxBackoff().toMillis());
            }
        }
        throw new OtaException(DOWNLOAD_FAILED, "gave up after " + policy.maxAttempts() + " attempts: " + last.getMessage(), last);
    }

    private void fetch(URI url, long size, Path part, DownloadListener listener) throws OtaException {
        long have;
        try {
            have = Files.exists(part) ? Files.size(part) : 0;
            if (have > size) { Files.delete(part); have = 0; }
        } catch (IOException e) {
            throw new OtaException(IO, "cannot inspect " + part + ": " + e.getMessage(), e);
        }
        if (have == size) return;
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).timeout(policy.readTimeout()).GET();
        if (have > 0) rb.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new OtaException(DOWNLOAD_FAILED, "request to " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OtaException(DOWNLOAD_FAILED, "interrupted", e);
        }
        long start;
        if (resp.statusCode() == 206) {
            Matcher m = CONTENT_RANGE.matcher(resp.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                close(resp.body());
                truncate(part);
                throw new OtaException(DOWNLOAD_FAILED, url + " answered a range that does not start at " + have + "; starting over");
            }
            start = have;
        } else if (resp.statusCode() == 200) {
            start = 0;
        } else {
            close(resp.body());
            throw new OtaException(DOWNLOAD_FAILED, url + " answered HTTP " + resp.statusCode());
        }
        if (start > 0) Logger.info("resuming {} at byte {} of {}", url, start, size);
        receive(resp.body(), part, start, size, listener, url);
    }

    private void receive(InputStream body, Path part, long start, long size, DownloadListener listener, URI url) throws OtaException {
        long done = start;
        int lastDecile = (int) (done * 10 / size);
        long windowStart = nanoTime.getAsLong(), windowBytes = 0;
        try (InputStream in = body;
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(start);
            out.position(start);
            byte[] buf = new byte[1 << 16];
            while (done < size) {
                int n;
                try {
                    n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
                } catch (IOException e) {
                    throw new OtaException(DOWNLOAD_FAILED, "connection to " + url + " broke at byte " + done + ": " + e, e);
                }
                if (n < 0) throw new OtaException(DOWNLOAD_FAILED, url + " ended the body at byte " + done + " of " + size);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) out.write(bb);
                done += n;
                windowBytes += n;
                if (done == size || windowBytes >= (1 << 20)) out.force(false);
                listener.progress(done, size);
                int decile = (int) (done * 10 / size);
                if (decile != lastDecile) {
                    lastDecile = decile;
                    Logger.info("download {}: {} of {} bytes ({}%)", part.getFileName(), done, size, decile * 10);
                }
                if (policy.bytesPerSecond() > 0) windowStart = throttle(windowStart, windowBytes);
                if (windowBytes >= (1 << 20)) windowBytes = 0;
            }
        } catch (IOException e) {
            throw new OtaException(IO, "writing " + part + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the average rate under the cap by sleeping off any lead over the budget. */
    private long throttle(long windowStart, long windowBytes) throws OtaException {
        long expectedNanos = windowBytes * 1_000_000_000L / policy.bytesPerSecond();
        long elapsed = nanoTime.getAsLong() - windowStart;
        if (expectedNanos > elapsed) {
            try {
                sleeper.sleep((expectedNanos - elapsed) / 1_000_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OtaException(DOWNLOAD_FAILED, "interrupted while throttling", e);
            }
        }
        return windowBytes >= (1 << 20) ? nanoTime.getAsLong() : windowStart;
    }

    private static void finish(Path part, long size, byte[] sha256, Path dest) throws OtaException {
        try {
            long got = Files.size(part);
            if (got != size) throw new OtaException(DOWNLOAD_FAILED, part + " holds " + got + " bytes, expected " + size);
            byte[] h = Sha256.ofFile(part);
            if (!Arrays.equals(h, sha256)) {
                Files.delete(part);
                throw new OtaException(PATCH_HASH_MISMATCH, "downloaded file has SHA-256 " + Sha256.hex(h) + ", manifest says " + Sha256.hex(sha256));
            }
            Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new OtaException(IO, "finishing " + dest + ": " + e.getMessage(), e);
        }
    }

    private static void truncate(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // the next attempt truncates anyway
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to save from a response we are discarding
        }
    }
}
