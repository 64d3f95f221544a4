package dev.vgate.bench.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.RuleAlert;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.TickingEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * In-process latency from an over-temperature frame arriving on the bus to the cutoff frame handed to the
 * CAN channel, under 10,000 frames/s of background traffic (the demo car's healthy messages).
 *
 * <p>The bus is a bounded queue drained by a receive thread that blocks in {@code take()} (as a SocketCAN
 * read blocks), decodes through the demo DBC and evaluates the default rule set; its cutoff rule has its
 * 200 ms debounce removed so that one frame fires it (the debounce is a deliberate delay, not processing
 * cost). Each operation first sends a cool frame (clearing the rule, not timed), then stamps t0, sends the
 * hot frame and waits until the channel has the cutoff frame. The exact t0 → handed-to-channel latencies
 * are collected and their p50/p99/p99.9/max printed at the end of each iteration; JMH's own sample-time
 * percentiles cover the whole operation (cool + hot round trips).
 *
 * <p>{@code evaluator=plain}: the receive thread calls {@link FrameEvaluator} directly; {@code ticking}: through
 * {@link TickingEvaluator} as {@code vgate rules run} wires it (one lock per frame, a 20 ms tick from a timer).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class CutoffLatencyBench {
    private static final int BACKGROUND_FPS = 10_000;
    private static final CanFrame STOP = new CanFrame();

    private final BlockingQueue<CanFrame> bus = new ArrayBlockingQueue<>(8192);
    private Thread receiver, background, alertDrain;
    private volatile boolean running;
    private volatile long coolSeen;           // cool frames processed by the receive thread
    private volatile long cutoffs;            // cutoff frames handed to the channel
    private volatile long cutoffNanos;        // when the last one was
    private final BlockingQueue<RuleAlert> alerts = new ArrayBlockingQueue<>(1024);

    private final CanFrame hot = new CanFrame().id(0x101).data(DemoTraffic.thermal(65, 60)).iface("vcan0");
    private final CanFrame cool = new CanFrame().id(0x101).data(DemoTraffic.thermal(30, 60)).iface("vcan0");
    private long[] latencies = new long[1 << 20];
    private int count;
    private long backgroundSent;
    private ScheduledExecutorService timer;

    @Param({"plain", "ticking"}) public String evaluator;

    @Setup(Level.Trial) public void setUp() throws Exception {
        DbcDatabase db = DemoDbc.load();
        String text = RuleSet.defaultRulesText().replace("BMS_Temp > 60 degC for 200ms", "BMS_Temp > 60 degC");
        RuleSet rules = RuleSet.parse(text, "default-rules.yaml (cutoff without debounce)", RuleDbc.of(db));
        ActionDispatcher dispatcher = new ActionDispatcher(
                f -> {
                    if (f.id() == 0x301) {
                        cutoffNanos = System.nanoTime();
                        cutoffs = cutoffs + 1; // single writer: the receive thread
                    }
                },
                (task, delayNanos) -> {},    // repeats do not change the first frame's latency
                alerts::offer,               // what the daemon's alert sink does: enqueue
                new FaultCodes(), CollectionControl.NONE);
        FrameEvaluator plain = new FrameEvaluator(new RuleEngine(rules), db.newDecoder(), dispatcher);
        timer = Executors.newSingleThreadScheduledExecutor();
        // frames are stamped with System.nanoTime() below, so the ticks use the same clock
        dev.vgate.canbus.FrameHandler handler = "ticking".equals(evaluator)
                ? new TickingEvaluator(plain, timer, Duration.ofMillis(20), System::nanoTime)
                : plain::onFrame;
        running = true;
        receiver = new Thread(() -> {
            try {
                while (true) {
                    CanFrame f = bus.take();
                    if (f == STOP) return;
                    f.timestampNanos(System.nanoTime()); // the receive timestamp
                    handler.onFrame(f);
                    if (f == cool) coolSeen = coolSeen + 1; // single writer: this thread
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "can-receive");
        receiver.start();
        alertDrain = new Thread(() -> {
            try {
                while (running) alerts.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alert-publisher");
        alertDrain.setDaemon(true);
        alertDrain.start();
        background = new Thread(this::backgroundTraffic, "background-traffic");
        background.setDaemon(true);
        background.start();
    }

    /** 10 frames every millisecond: 10,000 frames/s. */
    private void backgroundTraffic() {
        DemoTraffic traffic = new DemoTraffic(7);
        long next = System.nanoTime();
        while (running) {
            for (int k = 0; k < BACKGROUND_FPS / 1000; k++) {
                if (bus.offer(traffic.next())) backgroundSent++;
            }
            next += 1_000_000;
            long wait;
            while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(Math.min(wait, 200_000));
        }
    }

    @Benchmark public long cutoff() throws InterruptedException {
        long before = coolSeen;
        bus.put(cool);
        while (coolSeen == before) Thread.onSpinWait();
        long sentBefore = cutoffs;
        long t0 = System.nanoTime();
        bus.put(hot);
        while (cutoffs == sentBefore) Thread.onSpinWait();
        long latency = cutoffNanos - t0;
        if (count < latencies.length) latencies[count++] = latency;
        return latency;
    }

    @TearDown(Level.Iteration) public void report() {
        if (count == 0) return;
        long[] l = Arrays.copyOf(latencies, count);
        Arrays.sort(l);
        System.out.printf("%n  frame -> cutoff handed to channel: n=%d p50=%.1f us p99=%.1f us p99.9=%.1f us max=%.1f us (background frames offered so far: %d)%n",
                count, l[count / 2] / 1e3, l[(int) (count * 0.99)] / 1e3, l[(int) (count * 0.999)] / 1e3, l[count - 1] / 1e3, backgroundSent);
        count = 0;
    }

    @TearDown(Level.Trial) public void tearDown() throws InterruptedException {
        running = false;
        background.join();
        bus.put(STOP);
        receiver.join();
        timer.shutdownNow();
    }
}
