package dev.vgate.agent.daemon;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SupervisorTest {
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Service recording(String name) {
        return new Service() {
            @Override public String name() { return name; }
            @Override public void start() { log.add("start " + name); }
            @Override public void stop() { log.add("stop " + name); }
            @Override public Map<String, Object> status() { return Map.of("frames", 42); }
        };
    }

    @Test void startsInOrderAndStopsInReverse() throws Exception {
        Supervisor s = new Supervisor().add(recording("a")).add(recording("b")).add(recording("c"));
        s.startAll();
        assertTrue(s.allHealthy());
        assertEquals(List.of(), s.stopAll(Duration.ofSeconds(1)));
        assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), log);
    }

    @Test void aFailingServiceIsRetriedWhileTheOthersRun() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch up = new CountDownLatch(1), statusTaken = new CountDownLatch(1);
        Service flaky = new Service() {
            @Override public String name() { return "broker"; }
            @Override public void start() throws Exception {
                if (attempts.incrementAndGet() < 3) throw new java.net.ConnectException("connection refused");
                statusTaken.await(); // stays down until the test has looked at it
                up.countDown();
            }
            @Override public void stop() {}
        };
        Supervisor s = new Supervisor(Duration.ofMillis(10), Duration.ofMillis(40)).add(flaky).add(recording("bus"));
        s.startAll();
        assertEquals(Supervisor.State.RUNNING, s.state("bus"), "the bus runs although the broker is down");
        assertFalse(s.allHealthy());
        Map<?, ?> broker = (Map<?, ?>) s.status().get("broker");
        assertEquals("retrying", broker.get("state"), "status while down: " + broker);
        assertEquals("connection refused", broker.get("last_error"));
        assertEquals(false, broker.get("healthy"));
        statusTaken.countDown();
        assertTrue(up.await(5, TimeUnit.SECONDS), "retried until it came up");
        // start() returned just now; the supervisor marks it RUNNING right after, on its own thread
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (s.state("broker") != Supervisor.State.RUNNING && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(Supervisor.State.RUNNING, s.state("broker"));
        assertEquals(3, attempts.get());
        assertTrue(s.allHealthy());
        Map<?, ?> after = (Map<?, ?>) s.status().get("broker");
        assertNull(after.get("last_error"), "the error is cleared once it runs: " + after);
        assertEquals(3, after.get("start_attempts"));
        s.stopAll(Duration.ofSeconds(1));
    }

    @Test void statusReportsStateErrorsAndServiceCounters() throws Exception {
        Service broken = new Service() {
            @Override public String name() { return "can0"; }
            @Override public void start() throws Exception { throw new IllegalStateException("no such interface"); }
            @Override public void stop() {}
        };
        Supervisor s = new Supervisor(Duration.ofSeconds(30), Duration.ofSeconds(60)).add(recording("decoder")).add(broken);
        s.startAll();
        Map<String, Object> st = s.status();
        Map<?, ?> dec = (Map<?, ?>) st.get("decoder");
        assertEquals("running", dec.get("state"));
        assertEquals(42, dec.get("frames"));
        assertEquals(true, dec.get("healthy"));
        Map<?, ?> can = (Map<?, ?>) st.get("can0");
        assertEquals("retrying", can.get("state"));
        assertEquals("no such interface", can.get("last_error"));
        assertEquals(false, can.get("healthy"));
        s.stopAll(Duration.ofSeconds(1));
    }

    @Test void aServiceThatHangsOnStopIsReportedAndTheRestStillStop() throws Exception {
        Service hang = new Service() {
            @Override public String name() { return "stuck"; }
            @Override public void start() {}
            @Override public void stop() {
                try { Thread.sleep(10_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        };
        Supervisor s = new Supervisor().add(recording("first")).add(hang).add(recording("last"));
        s.startAll();
        assertEquals(List.of("stuck"), s.stopAll(Duration.ofMillis(200)));
        assertTrue(log.contains("stop first") && log.contains("stop last"));
    }

    @Test void jsonEscapesAndWritesNonFiniteAsStrings() {
        assertEquals("{\"a\":\"x\\\"y\\n\",\"b\":[1,2.5,true,null],\"c\":\"nan\"}",
                Json.writeCompact(new java.util.LinkedHashMap<>(Map.of()) {{
                    put("a", "x\"y\n"); put("b", java.util.Arrays.asList(1, 2.5, true, null)); put("c", Double.NaN);
                }}));
    }
}
