package dev.vgate.command.mqtt;

import dev.vgate.command.state.CommandStateDb;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replies kept while the link is down: published after the reconnect, in order, once; across a restart; bounded. */
class ReplyOutboxTest {
    @TempDir Path dir;

    /** Down until {@link #up}; while up, acknowledges at once, or holds the PUBACKs when {@code holdAcks}. */
    static final class Link implements MqttLink {
        final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
        final List<String> published = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<PublishResult>> held = new CopyOnWriteArrayList<>();
        volatile boolean connected, holdAcks;
        volatile byte[] lastCorrelation;

        void up() {
            connected = true;
            for (ConnectionListener l : listeners) l.onConnectionChange(true, "connected");
        }

        /** As the link does when the connection drops: every unacknowledged publish fails. */
        void down() {
            connected = false;
            for (CompletableFuture<PublishResult> f : held) f.completeExceptionally(new MqttLinkException("connection lost before PUBACK"));
            held.clear();
        }

        @Override public CompletableFuture<PublishResult> publish(String topic, byte[] payload, PublishOptions o) {
            if (!connected) return CompletableFuture.failedFuture(new MqttLinkException("not connected"));
            assertEquals(1, o.qos());
            published.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
            lastCorrelation = o.correlationData();
            if (!holdAcks) return CompletableFuture.completedFuture(new PublishResult(0));
            CompletableFuture<PublishResult> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }

        @Override public CompletableFuture<Void> subscribe(String f, int qos, MessageHandler h) { return CompletableFuture.completedFuture(null); }
        @Override public boolean isConnected() { return connected; }
        @Override public void addConnectionListener(ConnectionListener l) { listeners.add(l); }
        @Override public void close() { connected = false; }
    }

    @Test void repliesMadeWhileDownArePublishedAfterTheReconnectInOrderOnce() throws Exception {
        Link link = new Link();
        try (CommandStateDb db = CommandStateDb.open(dir)) {
            ReplyOutbox out = new ReplyOutbox(db, link, 120);
            out.start();
            for (int i = 1; i <= 3; i++) out.send("c" + i, "cloud/resp", ("corr" + i).getBytes(StandardCharsets.UTF_8), ("result " + i).getBytes(StandardCharsets.UTF_8));
            Thread.sleep(200);
            assertTrue(link.published.isEmpty(), link.published.toString());
            assertEquals(3, out.waiting());

            link.up();
            await(() -> waiting(out) == 0, "the replies acknowledged");
            assertEquals(List.of("cloud/resp result 1", "cloud/resp result 2", "cloud/resp result 3"), link.published);
            assertArrayEquals("corr3".getBytes(StandardCharsets.UTF_8), link.lastCorrelation);
            link.up(); // another reconnect: nothing is sent twice
            Thread.sleep(200);
            assertEquals(3, link.published.size(), link.published.toString());
            out.close();
        }
    }

    @Test void aReplyWhosePubackTheOutageSwallowedIsSentAgainAfterTheReconnect() throws Exception {
        Link link = new Link();
        try (CommandStateDb db = CommandStateDb.open(dir)) {
            ReplyOutbox out = new ReplyOutbox(db, link, 120);
            link.connected = true;
            link.holdAcks = true;
            out.start();
            out.send("c1", "cloud/resp", null, "result 1".getBytes(StandardCharsets.UTF_8));
            await(() -> link.published.size() == 1, "the first publish");
            link.down();
            link.holdAcks = false;
            assertEquals(1, out.waiting(), "not acknowledged: still queued");
            link.up();
            await(() -> waiting(out) == 0, "acknowledged after the reconnect");
            assertEquals(List.of("cloud/resp result 1", "cloud/resp result 1"), link.published);
            out.close();
        }
    }

    @Test void repliesQueuedBeforeARestartArePublishedByTheNextRun() throws Exception {
        Link down = new Link();
        try (CommandStateDb db = CommandStateDb.open(dir)) {
            ReplyOutbox out = new ReplyOutbox(db, down, 120);
            out.start();
            out.send("c1", "cloud/resp", new byte[] {7}, "result 1".getBytes(StandardCharsets.UTF_8));
            out.close();
        }
        Link link = new Link();
        link.connected = true;
        try (CommandStateDb db = CommandStateDb.open(dir)) {
            ReplyOutbox out = new ReplyOutbox(db, link, 120);
            out.start();
            await(() -> waiting(out) == 0, "the reply of the last run acknowledged");
            assertEquals(List.of("cloud/resp result 1"), link.published);
            assertArrayEquals(new byte[] {7}, link.lastCorrelation);
            out.close();
        }
    }

    @Test void beyondTheBoundTheOldestReplyIsDroppedAndCounted() throws Exception {
        Link link = new Link();
        try (CommandStateDb db = CommandStateDb.open(dir)) {
            ReplyOutbox out = new ReplyOutbox(db, link, 120);
            out.start();
            int n = ReplyOutbox.MAX_QUEUED + 5;
            for (int i = 1; i <= n; i++) out.send("c" + i, "cloud/resp", null, ("result " + i).getBytes(StandardCharsets.UTF_8));
            assertEquals(ReplyOutbox.MAX_QUEUED, out.waiting());
            Map<String, Object> status = new java.util.LinkedHashMap<>();
            out.status(status);
            assertEquals(5L, status.get("replies_dropped"));

            link.up();
            await(() -> waiting(out) == 0, "every kept reply acknowledged");
            List<String> expected = new ArrayList<>();
            for (int i = 6; i <= n; i++) expected.add("cloud/resp result " + i);
            assertEquals(expected, link.published, "the newest MAX_QUEUED, oldest first");
            out.close();
        }
    }

    private static int waiting(ReplyOutbox out) {
        try {
            return out.waiting();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(10);
        }
    }
}
