package dev.vgate.mqtt;

import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.mqtt.testing.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the daemon's parts rely on from an {@link MqttLink}, held by {@link PahoMqttLink} against both brokers vgate
 * is tested with (Debian's mosquitto, the embedded Moquette): subscribe completes on the SUBACK (so nothing needs
 * to sleep), a message arriving before its handler waits for it, and a publish without a connection fails its
 * future instead of blocking or vanishing.
 */
class MqttLinkContractTest {
    @TempDir Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private String broker(String kind) throws Exception {
        if (kind.equals("mosquitto")) {
            Mosquitto m = Mosquitto.start(dir);
            open.add(m);
            return m.url();
        }
        EmbeddedBroker b = EmbeddedBroker.start();
        open.add(b);
        return b.url();
    }

    private PahoMqttLink link(String url, String id) throws Exception {
        PahoMqttLink l = new PahoMqttLink(MqttSettings.of(url, id).withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))).start();
        open.add(l);
        assertTrue(l.awaitConnected(Duration.ofSeconds(10)), id + " connects to " + url);
        return l;
    }

    @ParameterizedTest(name = "{0}") @ValueSource(strings = {"mosquitto", "moquette"})
    void afterTheSubAckEveryPublishIsDeliveredInOrder(String kind) throws Exception {
        String url = broker(kind);
        PahoMqttLink sub = link(url, "sub-" + kind), pub = link(url, "pub-" + kind);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        sub.subscribe("c/+/x", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) pub.publish("c/" + i + "/x", Integer.toString(i).getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1());
        for (int i = 0; i < 20; i++) assertEquals(Integer.toString(i), got.poll(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0}") @ValueSource(strings = {"mosquitto", "moquette"})
    void aMessageBeforeItsHandlerWaitsForIt(String kind) throws Exception {
        String url = broker(kind);
        PahoMqttLink sub = link(url, "early-" + kind), pub = link(url, "pub2-" + kind);
        MqttLink.MessageHandler stopped = m -> { throw new AssertionError("a removed handler got " + m.topic()); };
        sub.subscribe("e/#", 1, stopped).get(10, TimeUnit.SECONDS); // the broker holds the subscription ...
        sub.removeHandler(stopped); // ... while no handler is registered (a part that stopped, or has not started yet)
        pub.publish("e/late", "1".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()).get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sub.heldMessages() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, sub.heldMessages(), "held, not acknowledged and dropped");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        sub.subscribe("e/late", 1, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        pub.publish("e/late", "2".getBytes(StandardCharsets.UTF_8), MqttLink.PublishOptions.qos1()).get(10, TimeUnit.SECONDS);
        assertEquals("1", got.poll(10, TimeUnit.SECONDS), "the held message first");
        assertEquals("2", got.poll(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0}") @ValueSource(strings = {"mosquitto", "moquette"})
    void aPublishWithoutAConnectionFailsItsFuture(String kind) throws Exception {
        String url = broker(kind);
        PahoMqttLink l = link(url, "gone-" + kind);
        open.get(0).close(); // the broker goes away
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (l.isConnected() && System.nanoTime() < deadline) Thread.sleep(10);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> l.publish("t", new byte[] {1}, MqttLink.PublishOptions.qos1()).get(5, TimeUnit.SECONDS));
        assertInstanceOf(MqttLinkException.class, e.getCause());
    }
}
