package dev.vgate.buffer.upload;

import dev.vgate.buffer.SettableClock;
import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.testing.FakeSignal;
import dev.vgate.buffer.testing.InMemoryMqttLink;
import dev.vgate.buffer.wire.BatchDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches are cut by time, and by size only for a backlog: at a busy car's rate (30,000 samples/s, about a third of
 * the Kona recording's) the default settings publish one telemetry message per upload interval, alerts at once.
 * Before, a batch was cut every {@code maxBatchSamples} (the daemon: 1,000) and a cut batch started the next one
 * at once, so the same traffic went out as dozens of messages per second.
 */
class BatchCuttingTest {
    static final int RATE_HZ = 1000, SIGNALS = 30; // 30 signals at 1 kHz: 30,000 samples per second
    @TempDir Path dir;
    private final SettableClock clock = new SettableClock(1_000_000);
    private final InMemoryMqttLink link = new InMemoryMqttLink();
    private final List<FakeSignal> signals = java.util.stream.IntStream.range(0, SIGNALS + 1)
            .mapToObj(i -> i == SIGNALS ? FakeSignal.integer(i, "AIRBAG", 0x050, "Crash", 1, 0)
                    : FakeSignal.integer(i, "ECU", 0x100 + i, "S" + i, 0.1, 0)).toList();
    private SqliteTelemetryStore store;
    private Uploader uploader;
    private GroupCommitter committer;
    private BusCollector bus;

    private void open(UploaderConfig cfg) throws Exception {
        store = SqliteTelemetryStore.open(dir.resolve("t.db"), 0);
        uploader = new Uploader(store, link, cfg, clock, new SplittableRandom(1));
        committer = new GroupCommitter(store, uploader);
        bus = new Collector(committer, PolicyLoader.parse(String.join("\n", "version: 1", "default: {mode: every, priority: normal}",
                "rules:", "  - {match: 'AIRBAG.*', mode: on-change, priority: alert}"), "test"), clock).forBus("can0", signals);
    }

    @AfterEach void close() {
        if (uploader != null) uploader.close();
        if (store != null) store.close();
    }

    /** Drives {@code seconds} of traffic: samples every ms, a group commit every second, an upload round every 100 ms. */
    private void drive(int seconds) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        long t0Ms = clock.millis();
        for (int ms = 0; ms < seconds * 1000; ms++) {
            long tUs = (t0Ms + ms) * 1000L;
            for (int s = 0; s < SIGNALS; s++) bus.sample(signals.get(s), 500 + r.nextInt(3), 50, tUs);
            if (ms % 100 == 99) {
                clock.set(t0Ms + ms + 1);
                if (ms % 1000 == 999) committer.commit();
                uploader.poll();
            }
        }
    }

    private long telemetryMessages() {
        return link.published().stream().filter(p -> p.topic().endsWith("/telemetry")).count();
    }

    private long telemetrySamples() throws Exception {
        long n = 0;
        for (InMemoryMqttLink.Published p : link.published())
            if (p.topic().endsWith("/telemetry")) n += BatchDecoder.visit(BatchDecoder.parse(p.payload()), (ts, b, m, s, raw, v) -> { });
        return n;
    }

    @Test void steadyStateIsOneMessagePerIntervalAndAlertsGoAtOnce() throws Exception {
        open(UploaderConfig.defaults("veh-1").withDrainRate(0));
        drive(20);
        assertEquals(2, telemetryMessages(), "20 s at 30,000 samples/s with a 10 s interval");
        assertEquals(20L * RATE_HZ * SIGNALS, telemetrySamples(), "every sample, in those two messages");

        bus.sample(signals.get(SIGNALS), 1, 1, clock.millis() * 1000L);
        uploader.poll();
        assertEquals(1, link.published().stream().filter(p -> p.topic().endsWith("/alerts")).count(), "the alert did not wait for the interval");
        assertEquals(2, telemetryMessages());
    }

    @Test void aByteCapSplitsABacklogThatThenGoesBackToBack() throws Exception {
        open(UploaderConfig.defaults("veh-1").withDrainRate(0).withMaxBatchStoredBytes(64 << 10));
        link.connected = false; // an outage: everything piles up
        drive(5);
        link.connected = true;
        committer.commit();
        long before = telemetryMessages();
        clock.advance(UploaderConfig.DEFAULT_BATCH_INTERVAL_MS); // the interval is due once
        for (int i = 0; i < 200 && store.stats().totalSamples() > 0; i++) uploader.poll(); // then no time passes: back to back
        assertTrue(telemetryMessages() - before > 2, "the backlog was cut into several messages: " + (telemetryMessages() - before));
        assertEquals(0, store.stats().totalSamples(), "and all of it went out without waiting for intervals");
        assertEquals(5L * RATE_HZ * SIGNALS, telemetrySamples());
    }
}
