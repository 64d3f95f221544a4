package dev.vgate.bench.can;

import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.StringReader;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Per-frame cost of reading a candump -L log (line splitting + parsing into a reused frame), the path
 * of log replay and of {@code vgate dbc decode}. The log is in memory: this measures vgate, not disks.
 * A mix of 11-bit, 29-bit and CAN FD frames like a vehicle recording.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CandumpReadBench {
    static final int FRAMES = 10_000;

    String log;

    @Setup public void makeLog() {
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder(FRAMES * 48);
        for (int k = 0; k < FRAMES; k++) {
            sb.append(String.format("(%d.%06d) can0 ", 1_700_000_000 + k / 1000, (k % 1000) * 1000));
            int kind = k % 10;
            if (kind < 7) sb.append(String.format("%03X#", r.nextInt(0x800)));
            else if (kind < 9) sb.append(String.format("%08X#", r.nextInt(0x20000000)));
            else sb.append(String.format("%03X##1", r.nextInt(0x800)));
            int len = kind == 9 ? 32 : 8;
            for (int b = 0; b < len; b++) sb.append(String.format("%02X", r.nextInt(256)));
            sb.append('\n');
        }
        log = sb.toString();
    }

    @Benchmark @OperationsPerInvocation(FRAMES)
    public long readLog() throws Exception {
        CanFrame f = new CanFrame();
        long sum = 0;
        try (CandumpReader in = new CandumpReader(new StringReader(log), "bench", (s, n, l, why) -> { throw new IllegalStateException(why); })) {
            while (in.next(f)) sum += f.id() + f.length();
        }
        return sum;
    }
}
