package dev.vgate.buffer.upload;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.SettableClock;
import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.testing.FakeSignal;
import dev.vgate.buffer.testing.InMemoryMqttLink;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploaderTest {
    @TempDir Path dir;
    SettableClock clock = new SettableClock(1_000_000);
    InMemoryMqttLink link = new InMemoryMqttLink();
    SqliteTelemetryStore store;
    GroupCommitter committer;
    Uploader uploader;
    BusCollector bus;
    List<FakeSignal> signals = List.of(
            FakeSignal.integer(0, "BMS", 0x542, "Soc", 0.5, 0),
            FakeSignal.integer(1, "BMS", 0x542, "Temp", 1, -40),
            FakeSignal.integer(2, "AIRBAG", 0x050, "Crash", 1, 0),
            FakeSignal.integer(3, "GPS", 0x300, "Lat", 1e-7, 0));

    @BeforeEach void setUp() throws Exception {
        store = SqliteTelemetryStore.open(dir.resolve("t.db"), 0);
        UploaderConfig cfg = UploaderConfig.defaults("veh-1").withBatchInterval(1000).withDrainRate(0).withBackoff(100, 1000);
        uploader = new Uploader(store, link, cfg, clock, new SplittableRandom(3));
        committer = new GroupCommitter(store, uploader);
        CollectionPolicy policy = PolicyLoader.parse(String.join("\n",
                "version: 1",
                "default: {mode: every, priority: normal}",
                "rules:",
                "  - {match: 'AIRBAG.*', mode: on-change, priority: alert}",
                "  - {match: 'Lat', mode: every, priority: bulk}"), "test");
        bus = new Collector(committer, policy, clock).forBus("can0", signals);
    }

    @AfterEach void tearDown() {
        uploader.close();
        store.close();
    }

    private void feed(int frames, long t0) {
        for (int i = 0; i < frames; i++) {
            long t = t0 + i * 10_000L;
            bus.sample(signals.get(0), 100 + i / 10, (100 + i / 10) * 0.5, t);
            bus.sample(signals.get(1), 60, 20, t);
            bus.sample(signals.get(3), 480_000_000 + i, 48 + i * 1e-7, t);
        }
    }

    private List<TelemetryBatch> batches(String topic) throws Exception {
        List<TelemetryBatch> out = new ArrayList<>();
        for (InMemoryMqttLink.Published p : link.published()) if (p.topic().equals(topic)) out.add(BatchDecoder.parse(p.payload()));
        return out;
    }

    @Test void alertIsCommittedAndPublishedAtOnceOnItsOwnTopic() throws Exception {
        bus.sample(signals.get(2), 1, 1, 5_000);
        assertEquals(1, store.stats().alertSamples(), "committed before sample() returned");
        uploader.poll();
        List<TelemetryBatch> alerts = batches("vgate/veh-1/alerts");
        assertEquals(1, alerts.size());
        assertEquals(dev.vgate.protocol.telemetry.Priority.ALERT, alerts.get(0).getPriority());
        List<long[]> got = new ArrayList<>();
        BatchDecoder.visit(alerts.get(0), (t, b, m, s, raw, v) -> got.add(new long[] {t, raw}));
        assertEquals(1, got.size());
        assertEquals(5_000, got.get(0)[0]);
        uploader.poll();
        assertEquals(0, store.stats().alertSamples(), "deleted after the PUBACK");
    }

    @Test void alertsAwaitingTheirPubackDoNotHoldUpTheStream() throws Exception {
        link.reasonCode = -1; // the broker does not answer yet
        for (int i = 0; i < 4; i++) bus.sample(signals.get(2), i % 2, i % 2, 1_000 + i);
        uploader.poll();
        assertEquals(4, batches("vgate/veh-1/alerts").size());
        assertEquals(4, uploader.inflightCount());
        feed(50, 10_000);
        committer.commit();
        clock.advance(1000);
        uploader.poll();
        assertEquals(2, batches("vgate/veh-1/telemetry").size(), "normal and bulk go although 4 alerts (> maxInflight) are unacknowledged");
        for (InMemoryMqttLink.Published p : link.published()) p.future().complete(new dev.vgate.mqtt.MqttLink.PublishResult(0));
        uploader.poll();
        assertEquals(0, store.stats().totalSamples(), "every batch deleted after its PUBACK");
    }

    @Test void rowsStayUntilASuccessfulPubackAndRetriesKeepTheSequence() throws Exception {
        feed(300, 0);
        committer.commit();
        link.reasonCode = 0x97; // quota exceeded
        clock.advance(1000);
        uploader.poll();
        uploader.poll(); // handles the failed PUBACK
        List<TelemetryBatch> sent = batches("vgate/veh-1/telemetry");
        assertEquals(2, sent.size(), "one normal and one bulk batch");
        assertEquals(900, store.stats().totalSamples(), "nothing deleted after a failure reason code");
        link.reasonCode = 0;
        uploader.poll();
        assertEquals(2, batches("vgate/veh-1/telemetry").size(), "backoff: no retry before its time");
        clock.advance(1000);
        uploader.poll();
        uploader.poll();
        uploader.poll();
        List<TelemetryBatch> all = batches("vgate/veh-1/telemetry");
        assertTrue(all.size() >= 4);
        assertEquals(all.get(0).getSequence(), all.get(2).getSequence(), "re-sent with the same sequence");
        assertEquals(all.get(0).getPayload(), all.get(2).getPayload());
        assertEquals(0, store.stats().totalSamples());
    }

    @Test void bulkHasMessageExpiryAndBatchesCarryUserProperties() throws Exception {
        feed(50, 0);
        committer.commit();
        clock.advance(1000);
        uploader.poll();
        boolean sawBulk = false;
        for (InMemoryMqttLink.Published p : link.published()) {
            TelemetryBatch b = BatchDecoder.parse(p.payload());
            assertEquals(Integer.toString(b.getSchemaVersion()), p.options().userProperties().get("schema"));
            assertEquals("2", p.options().userProperties().get("schema"));
            assertEquals("vgate-chunks-v2", p.options().userProperties().get("encoding"));
            assertEquals("xz", p.options().userProperties().get("compression"));
            assertEquals(Long.toString(b.getSequence()), p.options().userProperties().get("sequence"));
            assertEquals(1, p.options().qos());
            if (b.getPriority() == dev.vgate.protocol.telemetry.Priority.BULK) {
                sawBulk = true;
                assertEquals(86_400, p.options().messageExpirySeconds());
            } else {
                assertEquals(0, p.options().messageExpirySeconds());
            }
        }
        assertTrue(sawBulk);
    }

    @Test void afterAnOutageAlertsGoFirstAndTheBacklogDrainsOldestFirstAtTheRate() throws Exception {
        uploader.close();
        store.close();
        store = SqliteTelemetryStore.open(dir.resolve("t2.db"), 0);
        UploaderConfig cfg = UploaderConfig.defaults("veh-1").withBatchInterval(1000).withDrainRate(2000).withMaxBatchSamples(400).withBackoff(100, 1000);
        uploader = new Uploader(store, link, cfg, clock, new SplittableRandom(3));
        committer = new GroupCommitter(store, uploader);
        bus = new Collector(committer, PolicyLoader.parse("version: 1\nrules:\n  - {match: 'AIRBAG.*', mode: on-change, priority: alert}\n", "t"), clock).forBus("can0", signals);
        link.connected = false;
        for (int w = 0; w < 20; w++) {
            feed(100, w * 1_000_000L);
            committer.commit();
            clock.advance(1000);
            uploader.poll();
        }
        assertTrue(link.published().isEmpty());
        bus.sample(signals.get(2), 1, 1, 20_000_000);
        link.connected = true;
        uploader.poll();
        List<InMemoryMqttLink.Published> first = link.published();
        assertEquals("vgate/veh-1/alerts", first.get(0).topic(), "the new alert goes before the backlog");
        int afterFirstPoll = first.size();
        assertTrue(afterFirstPoll <= 3, "the drain rate limits the first round, got " + afterFirstPoll);
        long lastFirstTs = -1;
        for (int round = 0; round < 200 && store.stats().totalSamples() > 0; round++) {
            clock.advance(500);
            uploader.poll();
        }
        assertEquals(0, store.stats().totalSamples());
        for (TelemetryBatch b : batches("vgate/veh-1/telemetry")) {
            long[] min = {Long.MAX_VALUE};
            BatchDecoder.visit(b, (t, bb, m, s, raw, v) -> min[0] = Math.min(min[0], t));
            assertTrue(min[0] >= lastFirstTs, "oldest first");
            lastFirstTs = min[0];
        }
        long bytes = uploader.publishedBytes();
        assertTrue(bytes > 2000, "enough data to need several rounds: " + bytes);
    }
}
