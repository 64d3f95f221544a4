package dev.vgate.bench.dbc;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The same decode loop as {@link DbcDecodeBenchmark}, timed by the thread's CPU time as well as the wall
 * clock. On a machine shared with other work the wall-clock score mostly measures how often the scheduler
 * ran the benchmark thread; frames per CPU-second is what one core does when it runs the decoder.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.vgate.bench.dbc.DbcDecodeCpuTime [rounds per measurement, default 100]</pre>
 */
public final class DbcDecodeCpuTime {
    private DbcDecodeCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path data = KonaRecording.sharedData();
        KonaRecording rec = KonaRecording.load(data);
        FrameDecoder pcan = DbcDatabase.load(data.resolve(KonaRecording.PCAN_DBC)).newDecoder();
        FrameDecoder ccan = DbcDatabase.load(data.resolve(KonaRecording.CCAN_DBC)).newDecoder();
        DbcDecodeBenchmark.SumSink sink = new DbcDecodeBenchmark.SumSink();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long ok = 0;
        for (int m = 0; m < 8; m++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) ok += decodeAll(rec, pcan, ccan, sink);
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            long frames = (long) rec.size() * rounds;
            System.out.printf(Locale.ROOT, "%s %d: %,d frames, %.2f M frames/CPU-s (%.1f ns/frame CPU), %.2f M frames/s wall, CPU share %.0f %%%n",
                    m < 3 ? "warm-up" : "measurement", m, frames, frames * 1e3 / cpu, (double) cpu / frames,
                    frames * 1e3 / wall, 100.0 * cpu / wall);
        }
        System.out.println("decoded frames (all rounds): " + ok + ", checksum " + sink.sum + " " + sink.raws);
    }

    static int decodeAll(KonaRecording r, FrameDecoder pcan, FrameDecoder ccan, DbcDecodeBenchmark.SumSink sink) {
        int ok = 0;
        for (int k = 0; k < r.size(); k++) {
            FrameDecoder d = r.bus[k] == 0 ? pcan : ccan;
            if (d.decode(r.ids[k], r.extended[k], r.data[k], r.lengths[k], sink) == DecodeStatus.OK) ok++;
        }
        return ok;
    }
}
