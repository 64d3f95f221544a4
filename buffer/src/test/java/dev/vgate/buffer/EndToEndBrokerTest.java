package dev.vgate.buffer;

import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.pack.CandumpReplay;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.testing.KonaRecording;
import dev.vgate.buffer.testing.KonaRecording.Sample;
import dev.vgate.buffer.upload.Uploader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.buffer.testing.MosquittoBroker;
import dev.vgate.buffer.testing.TcpGate;
import dev.vgate.buffer.testing.TestBroker;
import dev.vgate.protocol.telemetry.TelemetryBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Kona recording → DBC → collector → SQLite buffer → Paho → broker (Moquette in-process, mosquitto out of
 * process) → a subscriber decoding the batches; the broker is stopped in the middle of the drive and restarted.
 */
class EndToEndBrokerTest {
    @TempDir Path dir;

    static final String POLICY = String.join("\n",
            "version: 1",
            "default: {mode: every, priority: normal}",
            "rules:",
            "  - {match: '*Counter*', mode: off}",
            "  - {match: 'Checksum', mode: off}",
            "  - {match: 'Batt_HV_Status.*', mode: every, priority: bulk}",
            "  - {match: 'CURRENT_GEAR', bus: can0, mode: on-change, priority: alert}",
            "  - {match: 'TractionControlFast.*', mode: on-change}",
            "");

    /** The samples the policy selects, computed here independently of the collector. */
    static Map<String, List<long[]>> expected(List<Sample> all) {
        Map<String, List<long[]>> out = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        for (Sample s : all) {
            if (s.signal().contains("Counter") || s.signal().equals("Checksum")) continue;
            boolean onChange = (s.signal().equals("CURRENT_GEAR") && s.bus().equals("can0")) || s.message().equals("TractionControlFast");
            if (onChange) {
                Long prev = last.put(s.key(), s.raw());
                if (prev != null && prev == s.raw()) continue;
            }
            out.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(new long[] {s.t(), s.raw()});
        }
        return out;
    }

    @Test void moquetteInProcess() throws Exception {
        KonaRecording kona = KonaRecording.load();
        try (TestBroker broker = TestBroker.moquette()) {
            realRecordingThroughBrokerOutage(kona, broker);
        }
    }

    @Test void mosquittoOutOfProcess() throws Exception {
        KonaRecording kona = KonaRecording.load();
        try (TestBroker broker = MosquittoBroker.start(dir)) {
            realRecordingThroughBrokerOutage(kona, broker);
        }
    }

    void realRecordingThroughBrokerOutage(KonaRecording kona, TestBroker broker) throws Exception {
        Map<String, List<long[]>> expected = expected(kona.decodeAll());
        CollectionPolicy policy = PolicyLoader.parse(POLICY, "e2e-policy");

        {
            Map<Long, byte[]> received = new ConcurrentHashMap<>();
            List<Long> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
            // the cloud side reconnects faster than the vehicle, so it is subscribed again before the backlog arrives
            PahoMqttLink cloud = new PahoMqttLink(MqttSettings.of(broker.url(), "cloud-e2e").withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))).start();
            java.util.concurrent.atomic.AtomicLong probesSeen = new java.util.concurrent.atomic.AtomicLong();
            cloud.subscribe("vgate/kona-1/+", 1, m -> {
                if (m.topic().endsWith("/probe")) {
                    probesSeen.incrementAndGet();
                    return;
                }
                TelemetryBatch b = parse(m.payload());
                byte[] prev = received.putIfAbsent(b.getSequence(), m.payload());
                if (prev != null) {
                    duplicates.add(b.getSequence());
                    assertArrayEquals(prev, m.payload(), "a duplicate is the same batch");
                }
            });
            assertTrue(cloud.awaitConnected(Duration.ofSeconds(10)));
            Thread.sleep(300); // let the SUBACK arrive

            // the vehicle reaches the broker through a gate, so that after the restart it only gets through once the
            // cloud subscriber is subscribed again (the brokers here keep no sessions across a restart)
            TcpGate gate = TcpGate.to(broker.url());
            PahoMqttLink vehicle = new PahoMqttLink(MqttSettings.of(gate.url(), "kona-1").withReconnect(Duration.ofMillis(800), Duration.ofMillis(1500))).start();
            assertTrue(vehicle.awaitConnected(Duration.ofSeconds(10)));
            try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("buffer.db"), 0)) {
                UploaderConfig cfg = UploaderConfig.defaults("kona-1").withBatchInterval(200).withMaxBatchSamples(20_000)
                        .withDrainRate(200_000).withBackoff(100, 1000);
                Uploader uploader = new Uploader(store, vehicle, cfg, Clock.systemUTC(), new SplittableRandom(1));
                GroupCommitter committer = new GroupCommitter(store, uploader);
                Collector collector = new Collector(committer, policy, Clock.systemUTC());
                uploader.start(20);
                long[] frames = {0};
                new CandumpReplay(kona.databases, collector).run(kona.reader(), "kona", tUs -> {
                    if (++frames[0] % 2000 == 0) committer.commit();
                    if (frames[0] == 12_000) {                        // outage during the drive
                        try {
                            gate.setOpen(false);
                            broker.stop();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                    if (frames[0] == 30_000) {
                        sleep(2500);                                   // (minutes in the field; seconds here)
                        try {
                            broker.startAgain();
                            awaitSubscribed(cloud, probesSeen);
                            gate.setOpen(true);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                committer.commit();
                long deadline = System.currentTimeMillis() + 60_000;
                while ((store.stats().totalSamples() > 0 || !uploader.idle()) && System.currentTimeMillis() < deadline) Thread.sleep(50);
                assertEquals(0, store.stats().totalSamples(), "everything acknowledged and deleted");
                uploader.close();
                Thread.sleep(300);

                Map<String, List<long[]>> got = new HashMap<>();
                List<Long> seqs = new ArrayList<>(received.keySet());
                java.util.Collections.sort(seqs);
                for (long seq : seqs) {
                    BatchDecoder.visit(parse(received.get(seq)), (t, bus, m, s, raw, v) ->
                            got.computeIfAbsent(bus + " " + m + "." + s, k -> new ArrayList<>()).add(new long[] {t, raw}));
                }
                assertEquals(seqs.size(), seqs.get(seqs.size() - 1) - seqs.get(0) + 1, "no sequence missing");
                assertEquals(expected.keySet(), got.keySet());
                long n = 0;
                for (Map.Entry<String, List<long[]>> e : expected.entrySet()) {
                    List<long[]> g = got.get(e.getKey());
                    assertEquals(e.getValue().size(), g.size(), e.getKey());
                    for (int i = 0; i < g.size(); i++) assertArrayEquals(e.getValue().get(i), g.get(i), e.getKey() + " sample " + i);
                    n += g.size();
                }
                System.out.printf("e2e " + broker + ": %d batches, %d samples exact, %d duplicate deliveries (same sequence)%n", seqs.size(), n, duplicates.size());
                assertTrue(n > 50_000);
            } finally {
                vehicle.close();
                cloud.close();
                gate.close();
            }
        }
    }

    /** Publishes probes until the subscriber receives one: its subscription exists again on the restarted broker. */
    static void awaitSubscribed(PahoMqttLink cloud, java.util.concurrent.atomic.AtomicLong probesSeen) throws Exception {
        long seen = probesSeen.get();
        long deadline = System.currentTimeMillis() + 30_000;
        while (probesSeen.get() == seen) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("the cloud subscriber did not resubscribe within 30 s");
            if (cloud.isConnected()) cloud.publish("vgate/kona-1/probe", new byte[] {1}, dev.vgate.mqtt.MqttLink.PublishOptions.qos1());
            Thread.sleep(200);
        }
    }

    static TelemetryBatch parse(byte[] b) {
        try {
            return BatchDecoder.parse(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
