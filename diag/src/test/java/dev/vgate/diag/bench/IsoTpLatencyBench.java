package dev.vgate.diag.bench;

import dev.vgate.canbus.VirtualBus;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;
import dev.vgate.diag.isotp.KernelIsoTpNetwork;
import dev.vgate.diag.sim.EcuSimulator;
import dev.vgate.diag.uds.DidTable;
import dev.vgate.diag.uds.UdsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Request -> answer latency of a UDS ReadDataByIdentifier whose answer is 100 bytes (a first frame, 14
 * consecutive frames and the tester's flow control; STmin 0, BS 0), measured by the tester around
 * {@link UdsClient#readDid}: send the 3-byte request, the simulator answers, the whole answer is
 * reassembled. Side by side in one run: the Java state machine on a virtual bus (in-process), and where
 * vcan0 and can-isotp exist the kernel's ISO-TP and the Java state machine on raw sockets, on vcan0.
 *
 * <pre>java -cp ... dev.vgate.diag.bench.IsoTpLatencyBench [rounds=2000] [warmup=500]</pre>
 */
public final class IsoTpLatencyBench {
    private IsoTpLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<String[]> rows = new ArrayList<>();
        rows.add(measure("Java ISO-TP, virtual bus (in-process)", ChannelIsoTpNetwork.on(new VirtualBus("bench")), rounds, warmup));
        if (Files.exists(Path.of("/sys/class/net/vcan0")) && Files.exists(Path.of("/sys/module/can_isotp"))) {
            rows.add(measure("kernel ISO-TP (can-isotp), vcan0", new KernelIsoTpNetwork("vcan0"), rounds, warmup));
            rows.add(measure("Java ISO-TP on raw sockets, vcan0", ChannelIsoTpNetwork.onSocketCan("vcan0"), rounds, warmup));
        } else {
            System.out.println("(no vcan0 with can-isotp here: only the in-process row)");
        }
        System.out.println("| transport | rounds | median µs | p90 µs | p99 µs | min µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    private static String[] measure(String name, IsoTpNetwork net, int rounds, int warmup) throws Exception {
        IsoTpAddress tester = IsoTpAddress.of(0x7E0, 0x7E8);
        try (EcuSimulator ecu = new EcuSimulator(net, tester.reversed(), IsoTpOptions.DEFAULT, false);
             IsoTpTransport t = net.open(tester, IsoTpOptions.DEFAULT);
             UdsClient uds = new UdsClient(t, DidTable.standard(), UdsClient.Timing.DEFAULT.withP2(Duration.ofSeconds(5), Duration.ofSeconds(10)))) {
            byte[] value = new byte[97]; // 62 01 00 + 97 bytes = a 100-byte answer
            for (int i = 0; i < value.length; i++) value[i] = (byte) i;
            ecu.dids.put(0x0100, value);
            long[] ns = new long[rounds];
            for (int i = 0; i < warmup + rounds; i++) {
                long t0 = System.nanoTime();
                byte[] v = uds.readDid(0x0100);
                long dt = System.nanoTime() - t0;
                if (v.length != 97) throw new IllegalStateException("answer of " + v.length + " bytes");
                if (i >= warmup) ns[i - warmup] = dt;
            }
            Arrays.sort(ns);
            return new String[] {name, Integer.toString(rounds), us(ns[rounds / 2]), us(ns[(int) (rounds * 0.9)]),
                    us(ns[(int) (rounds * 0.99)]), us(ns[0])};
        }
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.0f", ns / 1000.0);
    }
}
