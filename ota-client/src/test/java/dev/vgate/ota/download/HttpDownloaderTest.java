package dev.vgate.ota.download;

import dev.vgate.ota.Images;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpDownloaderTest {
    @TempDir Path dir;
    final byte[] body = Images.old(1_000_000, 5);
    final List<Long> sleeps = new ArrayList<>();
    final DownloadPolicy policy = new DownloadPolicy(5, Duration.ofMillis(100), Duration.ofMillis(250), 0, Duration.ofSeconds(5), Duration.ofSeconds(5));

    long fakeNanos = 0;

    /** Sleeps are recorded and advance a fake clock instead of passing real time. */
    HttpDownloader downloader(DownloadPolicy p) {
        return new HttpDownloader(p, ms -> { sleeps.add(ms); fakeNanos += ms * 1_000_000L; }, () -> fakeNanos);
    }

    @Test void resumesWithRangeAfterDroppedConnections() throws Exception {
        try (FlakyServer s = new FlakyServer(body, 2, 300_000)) {
            Path dest = dir.resolve("patch.bin");
            List<long[]> progress = new ArrayList<>();
            downloader(policy).download(List.of(s.uri("/patch.bin")), body.length, TestDevice.sha(body), dest, (d, t) -> progress.add(new long[] {d, t}));
            assertArrayEquals(body, Files.readAllBytes(dest));
            // each retry asks for the rest from where the client's file ends: the server sent 300,000 bytes before
            // each drop, but how many reached the client before the reset depends on timing
            assertEquals(3, s.ranges.size(), s.ranges.toString());
            assertEquals("-", s.ranges.get(0));
            long first = rangeStart(s.ranges.get(1)), second = rangeStart(s.ranges.get(2));
            assertTrue(first > 0 && first <= 300_000 && second > first && second <= first + 300_000, s.ranges.toString());
            assertEquals(List.of(100L, 200L), sleeps, "exponential backoff between attempts");
            assertEquals(body.length, progress.get(progress.size() - 1)[0]);
            assertTrue(progress.stream().allMatch(p -> p[1] == body.length));
            assertFalse(Files.exists(HttpDownloader.partFile(dest)));
        }
    }

    @Test void resumesAPartialFileLeftByAnEarlierProcess() throws Exception {
        Path dest = dir.resolve("p.bin");
        Files.write(HttpDownloader.partFile(dest), java.util.Arrays.copyOf(body, 123_456));
        try (FlakyServer s = new FlakyServer(body, 0, 0)) {
            downloader(policy).download(List.of(s.uri("/p")), body.length, TestDevice.sha(body), dest, DownloadListener.NONE);
            assertEquals(List.of("bytes=123456-"), s.ranges);
        }
        assertArrayEquals(body, Files.readAllBytes(dest));
    }

    @Test void serverWithoutRangeSupportStartsOver() throws Exception {
        try (FlakyServer s = new FlakyServer(body, 1, 500_000)) {
            s.ignoreRange = true;
            Path dest = dir.resolve("p.bin");
            downloader(policy).download(List.of(s.uri("/p")), body.length, TestDevice.sha(body), dest, DownloadListener.NONE);
            assertArrayEquals(body, Files.readAllBytes(dest));
        }
    }

    @Test void givesUpAfterBoundedAttempts() throws Exception {
        try (FlakyServer s = new FlakyServer(body, 100, 1000)) {
            OtaException e = assertThrows(OtaException.class, () -> downloader(policy).download(List.of(s.uri("/p")), body.length,
                    TestDevice.sha(body), dir.resolve("p.bin"), DownloadListener.NONE));
            assertEquals(OtaException.Reason.DOWNLOAD_FAILED, e.reason());
            assertEquals(5, s.ranges.size());
            assertEquals(List.of(100L, 200L, 250L, 250L), sleeps, "backoff doubles up to its cap");
        }
    }

    @Test void wrongHashIsRejectedAndThePartialDeleted() throws Exception {
        try (FlakyServer s = new FlakyServer(body, 0, 0)) {
            Path dest = dir.resolve("p.bin");
            OtaException e = assertThrows(OtaException.class, () -> downloader(policy).download(List.of(s.uri("/p")), body.length,
                    TestDevice.sha("other".getBytes()), dest, DownloadListener.NONE));
            assertEquals(OtaException.Reason.PATCH_HASH_MISMATCH, e.reason());
            assertFalse(Files.exists(dest));
            assertFalse(Files.exists(HttpDownloader.partFile(dest)));
        }
    }

    @Test void fallsOverToTheNextMirror() throws Exception {
        try (FlakyServer s = new FlakyServer(body, 0, 0)) {
            Path dest = dir.resolve("p.bin");
            downloader(policy).download(List.of(s.uri("/missing"), s.uri("/p")), body.length, TestDevice.sha(body), dest, DownloadListener.NONE);
            assertArrayEquals(body, Files.readAllBytes(dest));
        }
    }

    @Test void bandwidthCapSleepsOffTheLead() throws Exception {
        try (FlakyServer s = new FlakyServer(body, 0, 0)) {
            downloader(policy.withBandwidth(1_000_000)).download(List.of(s.uri("/p")), body.length, TestDevice.sha(body), dir.resolve("p.bin"), DownloadListener.NONE);
            long slept = sleeps.stream().mapToLong(Long::longValue).sum();
            // 1 MB at 1 MB/s takes a second; with a clock that only moves while sleeping, all of it is slept
            assertTrue(slept >= 950 && slept <= 1000, "slept " + slept + " ms");
        }
    }

    private static long rangeStart(String range) {
        assertTrue(range.matches("bytes=\\d+-"), range);
        return Long.parseLong(range.substring(6, range.length() - 1));
    }
}
