package dev.vgate.bench.dbc;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Decode throughput of the real Kona EV drive (39,546 frames on two buses, each with its own DBC), single
 * thread. One operation = one frame ({@link OperationsPerInvocation}), so the scores are frames/s and
 * ns/frame; run with {@code -prof gc} for bytes allocated per frame. The sink does what a real consumer
 * minimally does: reads the raw and physical value of every signal.
 *
 * <pre>java -jar bench/target/benchmarks.jar DbcDecodeBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class DbcDecodeBenchmark {
    static final int FRAMES = 39_546;

    private KonaRecording rec;
    private FrameDecoder pcan;
    private FrameDecoder ccan;
    private final SumSink sink = new SumSink();

    /** Sums values so that the JIT cannot drop the decoding. */
    static final class SumSink implements SignalSink {
        double sum;
        long raws;
        int count;

        @Override public void signal(Signal signal, long raw, double value) {
            sum += value;
            raws ^= raw;
            count++;
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path data = KonaRecording.sharedData();
        rec = KonaRecording.load(data);
        if (rec.size() != FRAMES) throw new IllegalStateException("expected " + FRAMES + " frames, found " + rec.size());
        pcan = DbcDatabase.load(data.resolve(KonaRecording.PCAN_DBC)).newDecoder();
        ccan = DbcDatabase.load(data.resolve(KonaRecording.CCAN_DBC)).newDecoder();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void decodeRecording(Blackhole bh) {
        final KonaRecording r = rec;
        int ok = 0;
        for (int k = 0; k < FRAMES; k++) {
            FrameDecoder d = r.bus[k] == 0 ? pcan : ccan;
            if (d.decode(r.ids[k], r.extended[k], r.data[k], r.lengths[k], sink) == DecodeStatus.OK) ok++;
        }
        bh.consume(ok);
        bh.consume(sink.sum);
        bh.consume(sink.raws);
    }
}
