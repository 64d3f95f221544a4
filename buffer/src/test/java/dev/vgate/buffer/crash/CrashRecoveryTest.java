package dev.vgate.buffer.crash;

import dev.vgate.buffer.codec.EncodedChunk;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.buffer.testing.MosquittoBroker;
import dev.vgate.buffer.testing.TestBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at random moments, N times in a row (-Dvgate.crash.runs, default 200): after each restart the
 * database passes integrity_check and every committed sample and every acknowledged alert is either still in
 * the buffer or was received by the subscriber. Tagged "crash": run by ./run-tests, not by every build.
 */
@Tag("crash")
class CrashRecoveryTest {
    @TempDir Path dir;
    static final int STRIDE = 10_000_000;

    @Test void killNineAtRandomMomentsLosesNothingCommittedAndNeverCorrupts() throws Exception {
        int runs = Integer.getInteger("vgate.crash.runs", 200);
        Path db = dir.resolve("crash.db");
        SplittableRandom rnd = new SplittableRandom(Long.getLong("vgate.crash.seed", System.nanoTime()));
        BitSet received = new BitSet();
        AtomicLong deliveries = new AtomicLong();
        AtomicLong duplicateDeliveries = new AtomicLong();
        long readyMs = 0;
        String brokerName = "?";
        long committedTotal = 0, alertsTotal = 0, inBufferTotal = 0, integrityOk = 0;
        // a real out-of-process broker when installed (as in CI), else Moquette in-process
        try (TestBroker broker = MosquittoBroker.installed() ? MosquittoBroker.start(dir) : TestBroker.moquette()) {
            PahoMqttLink cloud = new PahoMqttLink(MqttSettings.of(broker.url(), "crash-cloud")).start();
            java.util.Set<Long> seqs = java.util.concurrent.ConcurrentHashMap.newKeySet();
            cloud.subscribe("vgate/crash/+", 1, m -> {
                try {
                    var b = BatchDecoder.parse(m.payload());
                    deliveries.incrementAndGet();
                    if (!seqs.add(b.getSequence())) duplicateDeliveries.incrementAndGet();
                    BatchDecoder.visit(b, (t, bus, msg, sig, raw, v) -> {
                        synchronized (received) {
                            received.set((int) raw);
                        }
                    });
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(cloud.awaitConnected(Duration.ofSeconds(10)));
            Thread.sleep(200);
            for (int run = 0; run < runs; run++) {
                long first = (long) run * STRIDE + 1;
                Process p = new ProcessBuilder(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                        "-cp", System.getProperty("java.class.path"), CrashWorker.class.getName(), db.toString(), broker.url(), Long.toString(first))
                        .redirectError(dir.resolve("worker.err").toFile()).start();
                long[] committed = {first};
                java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
                List<Long> alerts = new ArrayList<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            synchronized (alerts) {
                                if (line.equals("READY")) ready.countDown();
                                else if (line.startsWith("C ")) committed[0] = Long.parseLong(line.substring(2));
                                else if (line.startsWith("A ")) alerts.add(Long.parseLong(line.substring(2)));
                            }
                        }
                    } catch (java.io.IOException ignored) {
                        // the process died
                    }
                });
                reader.start();
                long started = System.nanoTime();
                if (run % 10 == 9) {
                    Thread.sleep(rnd.nextLong(0, 400)); // now and then during start-up and recovery
                } else {
                    assertTrue(ready.await(30, java.util.concurrent.TimeUnit.SECONDS), "worker not ready: " + java.nio.file.Files.readString(dir.resolve("worker.err")));
                    readyMs += (System.nanoTime() - started) / 1_000_000;
                    Thread.sleep(rnd.nextLong(20, 2500)); // while ingesting, committing and uploading
                }
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                reader.join();
                try (SqliteTelemetryStore s = SqliteTelemetryStore.open(db, 0)) {
                    String ic = s.integrityCheck();
                    assertEquals("ok", ic, "run " + run + ": integrity_check");
                    integrityOk++;
                }
                BitSet inBuffer = readBuffer(db);
                long lastCommitted;
                List<Long> acked;
                synchronized (alerts) {
                    lastCommitted = committed[0];
                    acked = new ArrayList<>(alerts);
                }
                List<Long> mustHave = new ArrayList<>(acked);
                for (long id = first; id < lastCommitted; id++) mustHave.add(id);
                // a batch the broker acknowledged (so the worker deleted it) may still be on its way to the subscriber
                long deadline = System.currentTimeMillis() + 20_000;
                List<Long> missing = missing(mustHave, inBuffer, received);
                while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                    missing = missing(missing, inBuffer, received);
                }
                if (!missing.isEmpty()) {
                    throw new AssertionError("run " + run + ": " + missing.size() + " committed samples or acknowledged alerts (committed up to "
                            + lastCommitted + ", alerts " + acked.size() + ") are neither in the buffer nor uploaded, first " + missing.get(0));
                }
                committedTotal += lastCommitted - first;
                alertsTotal += acked.size();
                inBufferTotal = inBuffer.cardinality();
            }
            cloud.close();
            brokerName = broker.toString();
        }
        System.out.printf("crash test (" + brokerName + "): %d SIGKILLs, integrity_check ok %d times; committed samples %d (acknowledged alerts %d) all present in the buffer or uploaded;"
                        + " received %d distinct samples in %d deliveries (%d duplicate deliveries by sequence); %d samples still buffered at the end; mean start-up %d ms%n",
                runs, integrityOk, committedTotal, alertsTotal, received.cardinality(), deliveries.get(), duplicateDeliveries.get(), inBufferTotal, readyMs / Math.max(1, runs - runs / 10));
        assertEquals(runs, integrityOk);
        assertTrue(committedTotal > 0, "the worker never committed; its stderr: " + java.nio.file.Files.readString(dir.resolve("worker.err")));
        if (runs >= 10) assertTrue(received.cardinality() > 0, "the workers never uploaded anything: the test would not exercise kills during uploads");
    }

    static List<Long> missing(List<Long> ids, BitSet inBuffer, BitSet received) {
        List<Long> out = new ArrayList<>();
        synchronized (received) {
            for (long id : ids) if (!inBuffer.get((int) id) && !received.get((int) id)) out.add(id);
        }
        return out;
    }

    /** Every raw value held in the buffer (ids are the raw values), read with plain JDBC. */
    static BitSet readBuffer(Path db) throws Exception {
        BitSet ids = new BitSet();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count, first_us, unit_us, ts, vals FROM chunks")) {
            while (rs.next()) {
                SampleColumn col = new EncodedChunk(ValueEncoding.DELTA_ZIGZAG, rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4), rs.getBytes(5)).decode();
                for (int i = 0; i < col.size(); i++) ids.set((int) col.raw(i));
            }
        }
        return ids;
    }

    static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    static String javaBin() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }
}
