package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A debounce ends on time even when no further frame arrives: the ticks carry the clock. */
class TickingEvaluatorTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong clock = new AtomicLong(T0);
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @AfterEach void stop() { timer.shutdownNow(); }

    private TickingEvaluator evaluator(Duration period) throws Exception {
        DbcDatabase db = DemoDbc.load();
        ActionDispatcher d = new ActionDispatcher(f -> sent.add(f.toString()), (task, delay) -> task.run(),
                AlertSink.NONE, new FaultCodes(), CollectionControl.NONE);
        return new TickingEvaluator(new FrameEvaluator(new RuleEngine(RuleSet.defaults(RuleDbc.of(db))), db.newDecoder(), d),
                timer, period, clock::get);
    }

    /** BMS_Thermal with BMS_Temp 65.0 degC at {@code t}. */
    private static CanFrame hot(long t) {
        return new CanFrame().id(0x101).iface("vcan0").data((byte) 0x8A, (byte) 0x02, (byte) 0, (byte) 0, (byte) 100, (byte) 0, (byte) 0, (byte) 0)
                .timestampNanos(t);
    }

    @Test void aTickAtTheDeadlineFiresTheDebouncedCutoff() throws Exception {
        try (TickingEvaluator ev = evaluator(Duration.ofHours(1))) { // ticked by hand here
            ev.onFrame(hot(T0));
            clock.set(T0 + TimeUnit.MILLISECONDS.toNanos(199));
            ev.tick();
            assertTrue(sent.isEmpty(), "199 ms over 60 degC is not 200: " + sent);
            clock.set(T0 + TimeUnit.MILLISECONDS.toNanos(200));
            ev.tick();
            assertEquals(3, sent.size(), "cutoff at the deadline, no frame needed: " + sent);
            assertTrue(sent.get(0).startsWith("(1700000000.200000) vcan0 301#01000001"), sent.get(0));
        }
    }

    @Test void theTimerTicksByItself() throws Exception {
        try (TickingEvaluator ev = evaluator(Duration.ofMillis(10))) {
            ev.onFrame(hot(T0));
            clock.set(T0 + TimeUnit.SECONDS.toNanos(1));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sent.size() < 3) {
                if (System.nanoTime() > end) fail("no tick fired the cutoff");
                Thread.sleep(10);
            }
        }
    }

    @Test void aNonPositivePeriodIsRefused() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> evaluator(Duration.ZERO));
        assertTrue(e.getMessage().contains("tick period"), e.getMessage());
    }
}
