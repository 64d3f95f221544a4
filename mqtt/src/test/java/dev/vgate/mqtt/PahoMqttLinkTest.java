package dev.vgate.mqtt;

import dev.vgate.mqtt.testing.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class PahoMqttLinkTest {
    private EmbeddedBroker broker;
    private PahoMqttLink a;
    private PahoMqttLink b;

    @BeforeEach void setUp() { broker = EmbeddedBroker.start(); }

    @AfterEach void tearDown() {
        if (a != null) a.close();
        if (b != null) b.close();
        broker.close();
    }

    private PahoMqttLink link(String id) throws Exception {
        PahoMqttLink l = new PahoMqttLink(MqttSettings.of(broker.url(), id)
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(400))).start();
        assertTrue(l.awaitConnected(Duration.ofSeconds(10)), "connects to the embedded broker");
        return l;
    }

    @Test void publishIsAcknowledgedAndDeliveredWithV5Properties() throws Exception {
        a = link("a");
        b = link("b");
        BlockingQueue<MqttLink.Incoming> got = new LinkedBlockingQueue<>();
        b.subscribe("vgate/+/cmd", 1, got::add).get(10, TimeUnit.SECONDS); // the broker's SUBACK
        byte[] corr = {1, 2, 3};
        MqttLink.PublishResult r = a.publish("vgate/VIN1/cmd", "hello".getBytes(StandardCharsets.UTF_8),
                        new MqttLink.PublishOptions(1, false, 30, Map.of("schema", "3"), "vgate/VIN1/resp", corr, "application/x-protobuf"))
                .get(10, TimeUnit.SECONDS);
        assertTrue(r.isSuccess(), "PUBACK reason code " + r.reasonCode());
        MqttLink.Incoming in = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(in, "message delivered");
        assertEquals("vgate/VIN1/cmd", in.topic());
        assertEquals("hello", new String(in.payload(), StandardCharsets.UTF_8));
        assertEquals("vgate/VIN1/resp", in.responseTopic());
        assertArrayEquals(corr, in.correlationData());
        assertEquals("3", in.userProperties().get("schema"));
        assertTrue(in.messageExpirySeconds() > 0 && in.messageExpirySeconds() <= 30);
    }

    @Test void publishWhileBrokerDownFailsAndLinkRecoversWithSubscriptions() throws Exception {
        a = link("a");
        b = link("b");
        BlockingQueue<MqttLink.Incoming> got = new LinkedBlockingQueue<>();
        b.subscribe("t/#", 1, got::add);
        List<Boolean> states = new CopyOnWriteArrayList<>();
        a.addConnectionListener((up, why) -> states.add(up));

        broker.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.isConnected() && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(a.isConnected(), "link notices the broker is gone");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.publish("t/x", new byte[] {1}, MqttLink.PublishOptions.qos1()).get(5, TimeUnit.SECONDS));
        assertInstanceOf(MqttLinkException.class, e.getCause());

        broker.startAgain();
        assertTrue(a.awaitConnected(Duration.ofSeconds(15)), "link reconnects after the broker returns");
        assertTrue(b.awaitConnected(Duration.ofSeconds(15)));
        // the broker lost its in-memory sessions: the link subscribes again in order, so a later SUBACK covers t/#
        b.subscribe("probe/after-reconnect", 1, m -> { }).get(10, TimeUnit.SECONDS);
        assertTrue(a.publish("t/y", new byte[] {7}, MqttLink.PublishOptions.qos1()).get(10, TimeUnit.SECONDS).isSuccess());
        MqttLink.Incoming in = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(in, "subscriber gets messages again after reconnect");
        assertEquals("t/y", in.topic());
        assertEquals(List.of(false, true), states, "listener told down, then up");
    }

    @Test void firstConnectKeepsTryingUntilTheBrokerAppears() throws Exception {
        broker.stop();
        a = new PahoMqttLink(MqttSettings.of(broker.url(), "late").withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))).start();
        assertFalse(a.awaitConnected(Duration.ofMillis(500)));
        broker.startAgain();
        assertTrue(a.awaitConnected(Duration.ofSeconds(15)), "a gateway booting without network connects later");
    }

    @Test void topicFilters() {
        assertTrue(TopicFilter.matches("vgate/+/cmd", "vgate/VIN/cmd"));
        assertFalse(TopicFilter.matches("vgate/+/cmd", "vgate/VIN/cmd/x"));
        assertTrue(TopicFilter.matches("vgate/#", "vgate/VIN/cmd/x"));
        assertTrue(TopicFilter.matches("vgate/#", "vgate"));
        assertFalse(TopicFilter.matches("a/b", "a/c"));
    }

    @Test void settingsRejectImpossibleCombinations() {
        assertThrows(IllegalArgumentException.class, () -> MqttSettings.of("http://x", "c"));
        MqttSettings tcp = MqttSettings.of("tcp://h:1883", "c");
        assertThrows(IllegalArgumentException.class, () -> tcp.withTls(null, java.nio.file.Path.of("c.pem"), null));
        assertThrows(IllegalArgumentException.class, () -> tcp.withTls(null, java.nio.file.Path.of("c.pem"), java.nio.file.Path.of("k.pem")));
    }
}
