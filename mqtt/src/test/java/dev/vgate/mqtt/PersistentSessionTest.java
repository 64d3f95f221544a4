package dev.vgate.mqtt;

import dev.vgate.mqtt.testing.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscribe before you receive, against a real mosquitto: a persistent session delivers what it queued while the
 * client was away right after the CONNACK, before the client's parts have registered their handlers. Those
 * messages must wait for their handler, not be acknowledged and dropped.
 */
class PersistentSessionTest {
    @TempDir Path dir;
    private Mosquitto broker;
    private PahoMqttLink vehicle, cloud;

    @BeforeEach void broker() throws Exception {
        broker = Mosquitto.start(dir);
        cloud = connect("cloud");
    }

    @AfterEach void close() {
        if (vehicle != null) vehicle.close();
        if (cloud != null) cloud.close();
        if (broker != null) broker.close();
    }

    private PahoMqttLink connect(String id) throws Exception {
        PahoMqttLink l = new PahoMqttLink(MqttSettings.of(broker.url(), id).withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))).start();
        assertTrue(l.awaitConnected(Duration.ofSeconds(10)), id + " connects");
        return l;
    }

    @Test void aMessageQueuedWhileAwayWaitsForItsHandlerAndArrivesOnce() throws Exception {
        vehicle = connect("vehicle-1");
        vehicle.subscribe("v/1/cmd", 1, m -> { }).get(10, TimeUnit.SECONDS); // the broker's SUBACK: the session holds the subscription
        vehicle.close();

        assertTrue(cloud.publish("v/1/cmd", "queued".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1())
                .get(10, TimeUnit.SECONDS).isSuccess(), "the broker took it for the absent vehicle");

        vehicle = connect("vehicle-1"); // no handler yet: the queued message arrives with nobody to take it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (vehicle.heldMessages() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, vehicle.heldMessages(), "the early message is held");

        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        vehicle.subscribe("v/1/cmd", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        assertEquals("queued", got.poll(10, TimeUnit.SECONDS), "handed to the handler once it registered");
        assertEquals(0, vehicle.heldMessages());

        // it was acknowledged after its handler ran: the next session does not deliver it again
        vehicle.close();
        vehicle = connect("vehicle-1");
        vehicle.subscribe("v/1/cmd", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        cloud.publish("v/1/cmd", "marker".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()).get(10, TimeUnit.SECONDS);
        assertEquals("marker", got.poll(10, TimeUnit.SECONDS), "no second delivery of the queued message before the marker");
        assertNull(got.poll(0, TimeUnit.SECONDS));
    }

    @Test void aRemovedHandlerLeavesLaterMessagesToTheNextSession() throws Exception {
        vehicle = connect("vehicle-2");
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        MqttLink.MessageHandler h = m -> first.add(new String(m.payload(), StandardCharsets.UTF_8));
        vehicle.subscribe("v/2/cmd", 1, h).get(10, TimeUnit.SECONDS);
        vehicle.removeHandler(h); // the part stopped; the link (and the broker's subscription) stay
        cloud.publish("v/2/cmd", "late".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()).get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (vehicle.heldMessages() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, vehicle.heldMessages(), "held, not handed to the removed handler nor acknowledged");
        vehicle.close();

        vehicle = connect("vehicle-2");
        BlockingQueue<String> next = new LinkedBlockingQueue<>();
        vehicle.subscribe("v/2/cmd", 1, m -> next.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        assertEquals("late", next.poll(10, TimeUnit.SECONDS), "the broker delivered it again in the next session");
        assertNull(first.poll(0, TimeUnit.SECONDS));
    }

    @Test void subscribeCompletesOnTheSubAck() throws Exception {
        vehicle = connect("vehicle-3");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        vehicle.subscribe("v/3/#", 1, m -> got.add(m.topic())).get(10, TimeUnit.SECONDS);
        // no sleep: after the SUBACK a publish is routed to the subscription
        cloud.publish("v/3/x", new byte[] {1}, MqttLink.PublishOptions.qos1()).get(10, TimeUnit.SECONDS);
        assertNotNull(got.poll(10, TimeUnit.SECONDS));
    }
}
