package dev.vgate.buffer.upload;

import dev.vgate.buffer.SettableClock;
import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoreStats;
import dev.vgate.buffer.testing.FakeSignal;
import dev.vgate.buffer.testing.InMemoryMqttLink;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.protocol.telemetry.Priority;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long outage with a small disk quota, through the whole pipeline (collector → group commit → store →
 * uploader): the quota holds after every commit, alerts all arrive, and every sample that did not arrive is
 * counted in the uploaded batches' data_loss (evicted per priority, downsampled by the policy).
 */
class LongOutageQuotaTest {
    static final long QUOTA = 64 * 1024;
    static final int WINDOWS = 240;           // group commits of 1 s (4 minutes of driving, offline)
    static final int FRAMES_PER_WINDOW = 100;

    @TempDir Path dir;

    final FakeSignal soc = FakeSignal.integer(0, "BMS", 0x542, "Soc", 0.5, 0);
    final FakeSignal lat = FakeSignal.integer(1, "GPS", 0x300, "Lat", 1e-7, 0);
    final FakeSignal crash = FakeSignal.integer(2, "AIRBAG", 0x050, "Crash", 1, 0);
    final FakeSignal mode = FakeSignal.integer(3, "BMS", 0x542, "Mode", 1, 0);

    @Test void quotaHoldsThroughALongOutageAndEverySampleIsDeliveredOrCounted() throws Exception {
        SettableClock clock = new SettableClock(1_000_000);
        InMemoryMqttLink link = new InMemoryMqttLink();
        link.connected = false;
        long normalKept = 0, bulkKept = 0, alertsSent = 0, dropped = 0;
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("outage.db"), QUOTA)) {
            UploaderConfig cfg = UploaderConfig.defaults("veh-q").withBatchInterval(1000).withDrainRate(0)
                    .withMaxBatchSamples(5000).withBackoff(100, 1000);
            Uploader uploader = new Uploader(store, link, cfg, clock, new SplittableRandom(5));
            GroupCommitter committer = new GroupCommitter(store, uploader);
            BusCollector bus = new Collector(committer, PolicyLoader.parse(String.join("\n",
                    "version: 1",
                    "default: {mode: every, priority: normal}",
                    "rules:",
                    "  - {match: 'AIRBAG.*', mode: on-change, priority: alert}",
                    "  - {match: 'Lat', mode: every, priority: bulk}",
                    "  - {match: 'BMS.Mode', mode: on-change}"), "outage-policy"), clock)
                    .forBus("can0", List.of(soc, lat, crash, mode));
            SplittableRandom r = new SplittableRandom(11);
            long lastMode = Long.MIN_VALUE;
            for (int w = 0; w < WINDOWS; w++) {
                for (int i = 0; i < FRAMES_PER_WINDOW; i++) {
                    long t = w * 1_000_000L + i * 10_000L;
                    long socRaw = r.nextLong(1 << 20), latRaw = r.nextLong(1 << 20); // noisy: the pages fill up
                    bus.sample(soc, socRaw, socRaw * 0.5, t);
                    bus.sample(lat, latRaw, latRaw * 1e-7, t);
                    normalKept++;
                    bulkKept++;
                    long m = i / 50;
                    bus.sample(mode, m, m, t);
                    if (m != lastMode) normalKept++;
                    else dropped++;
                    lastMode = m;
                }
                if (w % 60 == 30) {
                    bus.sample(crash, w, w, w * 1_000_000L + 999_000L);
                    alertsSent++;
                }
                committer.commit();
                StoreStats st = store.stats();
                assertTrue(st.usedBytes() <= QUOTA, "window " + w + ": " + st.usedBytes() + " bytes in use, quota " + QUOTA);
                clock.advance(1000);
                uploader.poll();
            }
            assertTrue(link.published().isEmpty(), "nothing can be published while offline");
            StoreStats offline = store.stats();
            assertTrue(offline.unreported().evictedBulk() > 0, "bulk was evicted");
            assertTrue(offline.unreported().evictedNormal() > 0, "a long enough outage reaches normal data");
            assertEquals(alertsSent, offline.alertSamples(), "alerts are never evicted");

            link.connected = true;
            for (int round = 0; round < 2000 && (store.stats().totalSamples() > 0 || !uploader.idle()); round++) {
                clock.advance(1000);
                uploader.poll();
            }
            assertEquals(0, store.stats().totalSamples(), "everything left was acknowledged and deleted");
            uploader.close();
        }

        Map<Long, TelemetryBatch> bySeq = new HashMap<>();
        for (InMemoryMqttLink.Published p : link.published()) {
            TelemetryBatch b = BatchDecoder.parse(p.payload());
            bySeq.putIfAbsent(b.getSequence(), b);
        }
        long[] received = new long[4];
        long evictedBulk = 0, evictedNormal = 0, downsampled = 0;
        long[] firstT = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        for (TelemetryBatch b : bySeq.values()) {
            evictedBulk += b.getDataLoss().getEvictedBulk();
            evictedNormal += b.getDataLoss().getEvictedNormal();
            downsampled += b.getDataLoss().getDownsampled();
            int p = b.getPriority().getNumber();
            BatchDecoder.visit(b, (t, bb, m, s, raw, v) -> {
                received[p]++;
                firstT[p] = Math.min(firstT[p], t);
            });
        }
        long gotAlerts = received[Priority.ALERT.getNumber()];
        long gotNormal = received[Priority.NORMAL.getNumber()];
        long gotBulk = received[Priority.BULK.getNumber()];
        System.out.printf("long outage: kept normal %d bulk %d alerts %d; received normal %d bulk %d alerts %d;"
                        + " uploaded loss counts: evicted bulk %d normal %d, downsampled %d%n",
                normalKept, bulkKept, alertsSent, gotNormal, gotBulk, gotAlerts, evictedBulk, evictedNormal, downsampled);
        assertEquals(alertsSent, gotAlerts, "every alert arrived");
        assertEquals(bulkKept, gotBulk + evictedBulk, "every bulk sample arrived or was counted as evicted");
        assertEquals(normalKept, gotNormal + evictedNormal, "every normal sample arrived or was counted as evicted");
        assertEquals(dropped, downsampled, "the policy's drops are uploaded as the downsampled count");
        assertTrue(evictedBulk > 0 && evictedNormal > 0);
        assertTrue(evictedBulk > evictedNormal, "bulk goes first");
        if (gotBulk > 0) {
            assertTrue(firstT[Priority.BULK.getNumber()] >= firstT[Priority.NORMAL.getNumber()],
                    "what survives of bulk is newer than what survives of normal");
        }
        assertTrue(firstT[Priority.NORMAL.getNumber()] > 0, "the oldest normal data was evicted, not the newest");
    }
}
