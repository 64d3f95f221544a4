package dev.vgate.rules.alert;

import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.rules.Action;
import dev.vgate.rules.RuleAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Alerts through a real broker (Moquette) that goes away and comes back, and across a restart of vgate. */
class AlertOutboxTest {
    private static final String TOPIC = "vgate/test-car/alerts";
    private static final long WAIT_S = 30;

    @TempDir Path dir;

    @Test void anAlertIsPublishedAtOnceAndLeavesTheJournalWhenAcknowledged() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             PahoMqttLink sub = connected(broker, "sub");
             PahoMqttLink pub = connected(broker, "pub")) {
            BlockingQueue<String> got = subscribe(sub);
            try (AlertOutbox out = new AlertOutbox(AlertJournal.open(dir.resolve("a.journal")), pub, TOPIC, Duration.ofMillis(200), j -> {})) {
                out.publish(alert("battery-overtemp-cutoff", 1));
                String m = got.poll(WAIT_S, TimeUnit.SECONDS);
                assertNotNull(m, "alert not on the broker");
                assertTrue(m.contains("\"rule\":\"battery-overtemp-cutoff\"") && m.contains("\"severity\":\"critical\""), m);
                await("acknowledged", () -> out.published() == 1 && out.pending() == 0);
            }
        }
    }

    @Test void alertsRaisedWhileTheBrokerIsDownAreKeptAndSentWhenItIsBack() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             PahoMqttLink pub = connected(broker, "pub")) {
            try (AlertOutbox out = new AlertOutbox(AlertJournal.open(dir.resolve("a.journal")), pub, TOPIC, Duration.ofMillis(200), j -> {})) {
                broker.stop();
                await("link down", () -> !pub.isConnected());
                out.publish(alert("r1", 1));
                out.publish(alert("r2", 2));
                await("both kept", () -> out.pending() == 2);
                assertEquals(0, out.published());

                broker.startAgain();
                try (PahoMqttLink sub = connected(broker, "sub")) {
                    BlockingQueue<String> got = subscribe(sub);
                    // the outbox may re-send r1 and r2 before the subscriber is there: their PUBACKs are the proof
                    // they reached the broker; r3, raised now, must be seen by the subscriber
                    await("re-sent and acknowledged", () -> out.published() == 2 && out.pending() == 0);
                    out.publish(alert("r3", 3));
                    String m;
                    do {
                        m = got.poll(WAIT_S, TimeUnit.SECONDS);
                        assertNotNull(m, "r3 not on the broker");
                    } while (!m.contains("\"rule\":\"r3\""));
                    await("r3 acknowledged", () -> out.published() == 3 && out.pending() == 0);
                }
            }
        }
    }

    @Test void alertsPendingAtShutdownAreSentByTheNextRun() throws Exception {
        Path journal = dir.resolve("a.journal");
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            try (PahoMqttLink pub = connected(broker, "pub")) {
                broker.stop();
                await("link down", () -> !pub.isConnected());
                try (AlertOutbox out = new AlertOutbox(AlertJournal.open(journal), pub, TOPIC, Duration.ofMillis(200), j -> {})) {
                    out.publish(alert("before-restart", 7));
                    await("stored", () -> out.pending() == 1);
                }
            }
            broker.startAgain();
            try (PahoMqttLink sub = connected(broker, "sub");
                 PahoMqttLink pub = connected(broker, "pub2")) {
                BlockingQueue<String> got = subscribe(sub);
                try (AlertOutbox out = new AlertOutbox(AlertJournal.open(journal), pub, TOPIC, Duration.ofMillis(200), j -> {})) {
                    assertEquals(1, out.pending());
                    // already connected: the retry timer sends the journal's alert
                    String m = got.poll(WAIT_S, TimeUnit.SECONDS);
                    assertNotNull(m, "the stored alert was not sent after the restart");
                    assertTrue(m.contains("\"rule\":\"before-restart\""), m);
                    await("acknowledged", () -> out.pending() == 0);
                }
            }
        }
    }

    @Test void anAlertRaisedWhileClosingIsStoredNotLost() throws Exception {
        Path journal = dir.resolve("a.journal");
        MqttLink down = new DownLink();
        AlertOutbox out = new AlertOutbox(AlertJournal.open(journal), down, TOPIC, Duration.ofMillis(200), j -> {});
        for (int k = 0; k < 100; k++) out.publish(alert("burst", k));
        out.close();
        try (AlertJournal j = AlertJournal.open(journal)) {
            assertEquals(100, j.pendingCount());
        }
    }

    private static RuleAlert alert(String rule, long seconds) {
        return new RuleAlert(rule, RuleAlert.Event.FIRED, Action.Severity.CRITICAL, seconds * 1_000_000_000L, "test", Map.of("BMS_Temp", 65.0));
    }

    private static PahoMqttLink connected(EmbeddedBroker broker, String id) throws Exception {
        PahoMqttLink l = new PahoMqttLink(MqttSettings.of(broker.url(), "alert-test-" + id)).start();
        assertTrue(l.awaitConnected(Duration.ofSeconds(WAIT_S)), id + " not connected");
        return l;
    }

    private static BlockingQueue<String> subscribe(PahoMqttLink sub) throws InterruptedException {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        sub.subscribe(TOPIC, 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8)));
        Thread.sleep(500); // SUBSCRIBE travels before anything is published
        return got;
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting: " + what);
            Thread.sleep(20);
        }
    }

    /** A link whose broker is never reachable. */
    private static final class DownLink implements MqttLink {
        @Override public java.util.concurrent.CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions options) {
            return java.util.concurrent.CompletableFuture.failedFuture(new dev.vgate.mqtt.MqttLinkException("not connected"));
        }
        @Override public java.util.concurrent.CompletableFuture<Void> subscribe(String topicFilter, int qos, MessageHandler handler) { return java.util.concurrent.CompletableFuture.completedFuture(null); }
        @Override public boolean isConnected() { return false; }
        @Override public void addConnectionListener(ConnectionListener listener) {}
        @Override public void close() {}
    }
}
