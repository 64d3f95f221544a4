package dev.vgate.mqtt;

import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.mqtt.testing.Mosquitto;
import dev.vgate.mqtt.testing.ScriptedFront;
import dev.vgate.mqtt.testing.ScriptedFront.Act;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The link keeps retrying whatever the broker does to a (re)connect, until it is connected and delivers; and a
 * publish over the broker's in-flight limit waits instead of failing. Found by the fleet simulator: after a
 * mosquitto restart some resumed sessions were dropped right after their CONNACK ("protocol error") and the
 * link never tried again, leaving the vehicle's data buffered for good.
 */
class ReconnectRobustnessTest {
    @TempDir Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private static MqttSettings settings(String url, String id) {
        return new MqttSettings(url, id, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofMillis(50), Duration.ofMillis(400), null, null, null, null, null);
    }

    /** Connects a subscriber straight to the broker, starts {@code vehicle} through the front, checks one publish arrives. */
    private void assertReconnectsAndDelivers(EmbeddedBroker broker, ScriptedFront front, int scripted) throws Exception {
        PahoMqttLink cloud = keep(new PahoMqttLink(settings(broker.url(), "cloud")).start());
        assertTrue(cloud.awaitConnected(Duration.ofSeconds(10)));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        cloud.subscribe("v/1/telemetry", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);

        PahoMqttLink vehicle = keep(new PahoMqttLink(settings(front.url(), "vehicle-1")).start());
        // a refused attempt may count as connected for the moment between its CONNACK and the DISCONNECT
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(front.accepted() > scripted && vehicle.isConnected()) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(front.accepted() > scripted && vehicle.isConnected(), "the link connects after the broker refused its first "
                + scripted + " attempts (" + front.accepted() + " connections seen, connected " + vehicle.isConnected() + ")");
        MqttLink.PublishResult r = vehicle.publish("v/1/telemetry", "batch".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1())
                .get(10, TimeUnit.SECONDS);
        assertTrue(r.isSuccess(), "PUBACK " + r.reasonCode());
        assertEquals("batch", got.poll(10, TimeUnit.SECONDS), "delivered through the broker");
    }

    @Test void keepsRetryingWhenTheBrokerDropsTheSessionRightAfterItsConnack() throws Exception {
        EmbeddedBroker broker = keep(EmbeddedBroker.start());
        List<Act> script = List.of(Act.CONNACK_THEN_PROTOCOL_ERROR, Act.CONNACK_THEN_PROTOCOL_ERROR, Act.CONNACK_THEN_PROTOCOL_ERROR,
                Act.CONNACK_THEN_PROTOCOL_ERROR, Act.CONNACK_THEN_PROTOCOL_ERROR);
        ScriptedFront front = keep(new ScriptedFront(broker.port(), script));
        assertReconnectsAndDelivers(broker, front, script.size());
    }

    @Test void abandonsAConnectTheBrokerNeverAnswersAndTriesAgain() throws Exception {
        EmbeddedBroker broker = keep(EmbeddedBroker.start());
        List<Act> script = List.of(Act.NEVER_ANSWER, Act.CONNACK_THEN_PROTOCOL_ERROR, Act.NEVER_ANSWER);
        ScriptedFront front = keep(new ScriptedFront(broker.port(), script));
        assertReconnectsAndDelivers(broker, front, script.size());
    }

    @Test void publishesUnacknowledgedWhenTheConnectionDroppedDoNotBreakTheNextSession() throws Exception {
        // mosquitto announces a Topic Alias Maximum, so Paho sends "t/..." once and then alias 1 with an empty topic;
        // Paho 1.2.5 re-sent such publishes on the next connection, where alias 1 means nothing: mosquitto
        // answered "protocol error" at every attempt (the fleet simulator's vehicles stuck after a broker restart)
        Mosquitto broker = keep(Mosquitto.start(dir));
        PahoMqttLink cloud = keep(new PahoMqttLink(settings(broker.url(), "cloud")).start());
        assertTrue(cloud.awaitConnected(Duration.ofSeconds(10)));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        cloud.subscribe("v/1/telemetry", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        ScriptedFront front = keep(new ScriptedFront(Integer.parseInt(broker.url().substring(broker.url().lastIndexOf(':') + 1)),
                List.of(Act.ACKS_LOST_THEN_CUT)));
        PahoMqttLink vehicle = keep(new PahoMqttLink(settings(front.url(), "vehicle-1")).start());
        assertTrue(vehicle.awaitConnected(Duration.ofSeconds(10)));
        List<Boolean> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        vehicle.addConnectionListener((up, why) -> changes.add(up));
        // the first publish names the topic and sets alias 1 (and is acknowledged); the next ones carry only the alias
        assertTrue(vehicle.publish("v/1/telemetry", "first".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1())
                .get(10, TimeUnit.SECONDS).isSuccess());
        List<CompletableFuture<MqttLink.PublishResult>> lost = new ArrayList<>();
        for (int i = 0; i < 5; i++) lost.add(vehicle.publish("v/1/telemetry", ("early" + i).getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()));
        for (CompletableFuture<MqttLink.PublishResult> f : lost) {
            try {
                f.get(10, TimeUnit.SECONDS);
                throw new AssertionError("a publish whose PUBACK never came must fail, not succeed");
            } catch (java.util.concurrent.ExecutionException expected) {
                // failed at the cut: the caller keeps the data and sends it again
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!vehicle.isConnected() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(vehicle.isConnected(), "reconnected after the cut");
        Thread.sleep(1500); // a broker that rejects the session does so right after the CONNACK
        assertTrue(vehicle.isConnected(), "the new session stays up");
        assertEquals(List.of(false, true), changes, "down at the cut, up once after it, and not refused again");
        assertTrue(vehicle.publish("v/1/telemetry", "after".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1())
                .get(10, TimeUnit.SECONDS).isSuccess());
        String m;
        while ((m = got.poll(10, TimeUnit.SECONDS)) != null && !m.equals("after")) { } // the early ones may or may not have arrived
        assertEquals("after", m, "delivered in the new session");
    }

    @Test void aPublishOverTheBrokersInflightLimitWaitsForASlotInsteadOfFailing() throws Exception {
        // mosquitto announces max_inflight_messages as its Receive Maximum; Paho refuses the publish beyond it
        Mosquitto broker = keep(Mosquitto.start(dir, "max_inflight_messages 2"));
        PahoMqttLink cloud = keep(new PahoMqttLink(settings(broker.url(), "cloud")).start());
        assertTrue(cloud.awaitConnected(Duration.ofSeconds(10)));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        cloud.subscribe("v/1/command-results", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        PahoMqttLink vehicle = keep(new PahoMqttLink(settings(broker.url(), "vehicle-1")).start());
        assertTrue(vehicle.awaitConnected(Duration.ofSeconds(10)));

        int n = 200;
        List<CompletableFuture<MqttLink.PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(vehicle.publish("v/1/command-results", ("r" + i).getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()));
        }
        for (int i = 0; i < n; i++) assertTrue(results.get(i).get(20, TimeUnit.SECONDS).isSuccess(), "publish " + i + " acknowledged");
        for (int i = 0; i < n; i++) {
            String m = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "message " + i + " delivered");
            assertEquals("r" + i, m, "in the order published");
        }
        assertEquals(0, vehicle.waitingPublishes());
    }
}
