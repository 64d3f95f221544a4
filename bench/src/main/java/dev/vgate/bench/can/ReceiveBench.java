package dev.vgate.bench.can;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.canbus.VirtualBus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receive throughput and per-frame cost of a channel: each invocation sends a batch of frames on one
 * channel and returns when another channel's receive thread has handed all of them to its handler.
 * The time per operation is the per-frame cost of send + delivery + receive + handler call; its
 * inverse is the frames per second one receive thread sustains.
 *
 * <p>{@code transport=socketcan} needs a real vcan0 on the machine running the benchmark (modprobe vcan;
 * ip link add dev vcan0 type vcan; ip link set up vcan0); the setup fails otherwise. The VM of
 * scripts/vcan-vm emulates its CPU, so numbers from there mean nothing and are not published.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ReceiveBench {
    static final int BATCH = 1000;

    @Param({"virtual"}) public String transport;
    @Param({"vcan0"}) public String iface;

    CanChannel tx;
    CanChannel rx;
    final AtomicLong received = new AtomicLong();
    final CanFrame frame = new CanFrame().id(0x123).data(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    @Setup(Level.Trial) public void open() throws CanException {
        if (transport.equals("socketcan")) {
            // a socket sees the frames other sockets send on the same interface (vcan loops them back)
            tx = SocketCanChannel.open(iface, SocketCanConfig.defaults());
            rx = SocketCanChannel.open(iface, SocketCanConfig.defaults());
        } else {
            VirtualBus bus = new VirtualBus(iface);
            tx = bus.newChannel();
            rx = bus.newChannel(dev.vgate.canbus.CanIdFilter.ALL, 4 * BATCH);
        }
        rx.start(f -> received.lazySet(received.get() + 1));
    }

    @TearDown(Level.Trial) public void close() {
        tx.close();
        rx.close();
        if (rx.counters().drops() > 0) throw new IllegalStateException("receiver dropped " + rx.counters().drops() + " frames: the numbers would flatter it");
    }

    @Benchmark @OperationsPerInvocation(BATCH)
    public long sendAndReceiveBatch() throws CanException {
        long target = received.get() + BATCH;
        for (int k = 0; k < BATCH; k++) {
            frame.data()[0] = (byte) k;
            tx.send(frame);
        }
        while (received.get() < target) Thread.onSpinWait();
        return target;
    }
}
