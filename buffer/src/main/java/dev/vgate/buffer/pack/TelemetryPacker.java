package dev.vgate.buffer.pack;

import dev.vgate.buffer.SettableClock;
import dev.vgate.buffer.TelemetryException;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.upload.Uploader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.mqtt.MqttLink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a recording through the real pipeline (collector → group commit → SQLite buffer → uploader) on a
 * clock that follows the recording, with an MQTT link that acknowledges at once and writes each published
 * payload to {@code out} as a length-delimited {@code TelemetryBatch}: exactly what vgate would upload.
 */
public final class TelemetryPacker {
    /** What was written: batches, samples in them, bytes including the length prefixes. */
    public record Result(long batches, long samples, long bytes, CandumpReplay.Counts frames) {
        public double bytesPerSample() { return samples == 0 ? 0 : (double) bytes / samples; }
    }

    private final BusDatabases databases;
    private final CollectionPolicy policy;
    private final UploaderConfig uploadConfig;
    private final long groupCommitMs;

    public TelemetryPacker(BusDatabases databases, CollectionPolicy policy, UploaderConfig uploadConfig, long groupCommitMs) {
        this.databases = databases;
        this.policy = policy;
        this.uploadConfig = uploadConfig.withDrainRate(0);
        this.groupCommitMs = groupCommitMs;
    }

    public Result pack(BufferedReader candump, String sourceName, OutputStream out) throws TelemetryException {
        Path dir;
        try {
            dir = Files.createTempDirectory("vgate-pack");
        } catch (IOException e) {
            throw new TelemetryException("cannot create a temporary buffer: " + e.getMessage(), e);
        }
        CapturingLink link = new CapturingLink(out);
        SettableClock clock = new SettableClock(0);
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("pack.db"), 0, false)) {
            Uploader uploader = new Uploader(store, link, uploadConfig, clock, new SplittableRandom(0));
            GroupCommitter committer = new GroupCommitter(store, uploader);
            Collector collector = new Collector(committer, policy, clock);
            long[] nextCommit = {Long.MIN_VALUE};
            CandumpReplay.Counts counts = new CandumpReplay(databases, collector).run(candump, sourceName, tUs -> {
                long ms = Math.floorDiv(tUs, 1000);
                if (nextCommit[0] == Long.MIN_VALUE) {
                    clock.set(ms);
                    nextCommit[0] = ms + groupCommitMs;
                }
                if (ms >= nextCommit[0]) {
                    clock.set(ms);
                    committer.commit();
                    uploader.poll();
                    uploader.poll();
                    nextCommit[0] = ms + groupCommitMs;
                }
            });
            committer.commit();
            // end of recording: what is left goes out as the uploader would send it next
            for (int i = 0; i < 10_000 && store.stats().totalSamples() > 0; i++) {
                clock.advance(uploadConfig.batchIntervalMs());
                uploader.poll();
                uploader.poll();
            }
            if (link.failure != null) throw new TelemetryException("cannot write batches: " + link.failure.getMessage(), link.failure);
            return new Result(link.batches, link.samples, link.bytes, counts);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            org.tinylog.Logger.warn("temporary pack buffer {} not removed: {}", dir, e.getMessage());
        }
    }

    /** Always connected; writes each payload length-delimited and acknowledges it with reason code 0. */
    private static final class CapturingLink implements MqttLink {
        private final OutputStream out;
        long batches, samples, bytes;
        IOException failure;

        CapturingLink(OutputStream out) { this.out = out; }

        @Override public CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options) {
            try {
                dev.vgate.protocol.telemetry.TelemetryBatch b = dev.vgate.protocol.telemetry.TelemetryBatch.parseFrom(payload);
                com.google.protobuf.CodedOutputStream cos = com.google.protobuf.CodedOutputStream.newInstance(out, 16);
                cos.writeUInt32NoTag(payload.length);
                cos.flush();
                out.write(payload);
                batches++;
                samples += b.getSampleCount();
                bytes += com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(payload.length) + payload.length;
                return CompletableFuture.completedFuture(new PublishResult(0));
            } catch (IOException e) {
                failure = e;
                return CompletableFuture.failedFuture(new UncheckedIOException(e));
            }
        }

        @Override public java.util.concurrent.CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler) { return java.util.concurrent.CompletableFuture.completedFuture(null); }

        @Override public boolean isConnected() { return true; }

        @Override public void addConnectionListener(ConnectionListener listener) { }

        @Override public void close() { }
    }
}
