package dev.vgate.bench.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fleet larger than one JVM can hold (docs/fleet.md, "Threads and memory maps"): one mosquitto and K
 * {@link FleetSim} processes against it, each with its own vehicles ({@code --id-prefix wK-}) and its own
 * simulated cloud (which counts only its own vehicles). The coordinator moves them through the phases
 * together (FleetSim {@code --coordinated}: a line on each one's stdin), so the steady state is measured at
 * the same time in all of them; it stops the broker for the outage(s) and restarts it, and merges the
 * reports: sums, the fleet-wide drain curve per second, and latency percentiles over the merged raw
 * samples. A watchdog stops the run (simulators first, then the broker) when the machine's available memory
 * falls below --min-available-mb, and --limit-s bounds the whole run.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vgate.bench.fleet.FleetMulti --processes 3 --vehicles 10000 \
 *     [--xmx 4g] [--min-available-mb 2048] [--limit-s 1800] [FleetSim options: --steady-s --outage-s --drain-limit-s --command-rate ...]
 * </pre>
 */
public final class FleetMulti {
    /** One FleetSim process and what it printed. */
    static final class Worker {
        final int index;
        final String prefix;
        final Process process;
        final PrintWriter stdin;
        final LinkedBlockingQueue<String> markers = new LinkedBlockingQueue<>();
        final List<String> secLines = new ArrayList<>(), curveLines = new ArrayList<>();
        volatile String lastLine = "", summary;
        final Path samples;

        Worker(int index, String prefix, Process process, Path log, Path samples) {
            this.index = index;
            this.prefix = prefix;
            this.process = process;
            this.samples = samples;
            this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.println(line);
                        if (line.matches("^[0-9:.]+ (INFO|WARN|DEBUG).*")) continue; // tinylog: in the log file only
                        lastLine = line;
                        if (line.startsWith("FLEET-WORKER ")) markers.add(line.substring(13).trim());
                        else if (line.startsWith("FLEET-SEC ")) synchronized (secLines) { secLines.add(line); }
                        else if (line.startsWith("FLEET-CURVE ")) synchronized (curveLines) { curveLines.add(line); }
                        else if (line.startsWith("FLEET-SUMMARY")) summary = line.substring(13).trim();
                        else System.out.println("[" + prefix + "] " + line);
                    }
                } catch (IOException e) {
                    System.out.println("[" + prefix + "] output: " + e.getMessage());
                }
                markers.add("exit");
            }, "fleet-multi-reader-" + index);
            reader.setDaemon(true);
            reader.start();
        }
    }

    private static volatile String phase = "starting";
    private static volatile Mosquitto broker;
    private static volatile String stopReason;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        List<String> passOn = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + k);
            boolean flag = k.equals("--check");
            String v = flag ? "true" : (i + 1 < args.length ? args[++i] : null);
            if (v == null) throw new IllegalArgumentException(k + " needs a value");
            o.put(k.substring(2), v);
            if (!Arrays.asList("--processes", "--vehicles", "--xmx", "--min-available-mb", "--limit-s", "--command-rate", "--connect-rate",
                    "--id-prefix", "--broker", "--coordinated", "--samples-out", "--check", "--mosquitto", "--log-level", "--min-free-pids").contains(k)) {
                passOn.add(k);
                passOn.add(v);
            }
        }
        int k = Integer.parseInt(o.getOrDefault("processes", "3"));
        int vehicles = Integer.parseInt(o.getOrDefault("vehicles", "10000"));
        String xmx = o.getOrDefault("xmx", "4g");
        long minAvailableMb = Long.parseLong(o.getOrDefault("min-available-mb", "2048"));
        long limitS = Long.parseLong(o.getOrDefault("limit-s", "1800"));
        long minFreePids = Long.parseLong(o.getOrDefault("min-free-pids", "1000"));
        double commandRate = Double.parseDouble(o.getOrDefault("command-rate", "20"));
        int connectRate = Integer.parseInt(o.getOrDefault("connect-rate", "500"));
        int[] outages = Arrays.stream(o.getOrDefault("outage-s", "30").split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        boolean check = o.containsKey("check");
        Path mosquittoBin = Path.of(o.getOrDefault("mosquitto", "/usr/sbin/mosquitto"));
        if (!Files.isExecutable(mosquittoBin)) {
            System.out.println("fleet simulation SKIPPED: " + mosquittoBin + " is not installed (Debian package mosquitto)");
            return;
        }
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("vgate-fleet-multi");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Mosquitto broker = new Mosquitto(mosquittoBin, dir);
        FleetMulti.broker = broker; // its fd limit is raised to the hard limit (20,000 here): 10,000 vehicles + K clouds
        broker.start();
        System.out.printf(Locale.ROOT, "fleet-multi: %d vehicles in %d simulator processes (-Xmx%s each) against mosquitto on %s; logs in %s%n",
                vehicles, k, xmx, broker.uri(), dir);

        List<Worker> workers = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int w = 0; w < k; w++) {
            int n = (w + 1) * vehicles / k - w * vehicles / k;
            String prefix = "w" + w + "-";
            List<String> cmd = new ArrayList<>(List.of(java, "-Xss256k", "-Xmx" + xmx, "-Dtinylog.writer.stream=err", "-Dtinylog.writer.level=" + o.getOrDefault("log-level", "warn"), "-cp", System.getProperty("java.class.path"),
                    FleetSim.class.getName(), "--coordinated", "--broker", broker.uri(), "--id-prefix", prefix, "--vehicles", Integer.toString(n),
                    "--command-rate", Double.toString(commandRate / k), "--connect-rate", Integer.toString(Math.max(1, connectRate / k)),
                    "--samples-out", dir.resolve(prefix + "samples").toString()));
            if (check) cmd.add("--check");
            cmd.addAll(passOn);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve(prefix + "err.log").toFile()); // Paho's java.util.logging stack traces
            pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // 3,000+ threads per process: few malloc arenas
            workers.add(new Worker(w, prefix, pb.start(), dir.resolve(prefix + "out.log"), dir.resolve(prefix + "samples")));
        }

        // the watchdog: available memory and the time bound; stops simulators first, then the broker
        Thread watchdog = new Thread(() -> {
            long minSeen = Long.MAX_VALUE;
            while (true) {
                long avail = memAvailableMb();
                minSeen = Math.min(minSeen, avail);
                String reason = null;
                if (avail >= 0 && avail < minAvailableMb) reason = String.format(Locale.ROOT, "memory: %d MB available < %d MB", avail, minAvailableMb);
                if ((System.nanoTime() - start) / 1e9 > limitS) reason = "time: the run exceeded --limit-s " + limitS;
                // pid_max is for the whole machine: leave room for everything else running on it
                long[] threads = machineThreads();
                if (threads[0] > 0 && threads[0] > threads[1] - minFreePids) {
                    reason = String.format(Locale.ROOT, "threads: %d of the machine's %d pids in use (--min-free-pids %d)", threads[0], threads[1], minFreePids);
                }
                if (reason != null) {
                    stopReason = reason;
                    System.out.printf(Locale.ROOT, "WATCHDOG: stopping the run in phase '%s' (%s); simulators' RSS %s MB; their last lines:%n",
                            phase, reason, workersRss(workers));
                    for (Worker w : workers) System.out.println("  [" + w.prefix + "] " + w.lastLine);
                    for (Worker w : workers) w.process.destroy();
                    for (Worker w : workers) {
                        try {
                            if (!w.process.waitFor(20, TimeUnit.SECONDS)) w.process.destroyForcibly();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    try {
                        broker.stop();
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.out.println("fleet-multi: STOPPED by the watchdog (" + reason + ")");
                    Runtime.getRuntime().halt(2);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fleet-multi-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Worker w : workers) w.process.destroyForcibly();
            try {
                broker.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));

        phase = "creating and connecting the vehicles";
        long t0 = System.nanoTime();
        barrier(workers, "connected", "steady");
        System.out.printf(Locale.ROOT, "fleet-multi: all %d simulators connected their vehicles after %.0f s; steady state%n", k, (System.nanoTime() - t0) / 1e9);
        phase = "steady state";
        long brokerCpu0 = FleetSim.cpuTicks(broker.pid()), steady0 = System.nanoTime();
        long machine0[] = machineTicks();
        barrier(workers, "outage-ready", null);
        double steadyWall = (System.nanoTime() - steady0) / 1e9;
        double brokerCores = (FleetSim.cpuTicks(broker.pid()) - brokerCpu0) / 100.0 / steadyWall;
        long[] machine1 = machineTicks();
        double machineBusy = machine1[1] == machine0[1] ? Double.NaN : 1 - (double) (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]);
        long brokerRssMb = FleetSim.rssKb(broker.pid()) >> 10;
        String simRss = workersRss(workers);
        for (int i = 0; i < outages.length; i++) {
            if (i > 0) barrier(workers, "outage-ready", null);
            phase = "outage " + outages[i] + " s";
            System.out.printf(Locale.ROOT, "fleet-multi: broker stopped for %d s%n", outages[i]);
            broker.stop();
            Thread.sleep(outages[i] * 1000L);
            broker.start();
            for (Worker w : workers) w.stdin.println("restarted");
            phase = "reconnect and drain after outage " + (i + 1);
        }
        phase = "flush and checks";
        for (Worker w : workers) {
            long left = Math.max(1, limitS - (System.nanoTime() - start) / 1_000_000_000L);
            if (!w.process.waitFor(left, TimeUnit.SECONDS)) break; // the watchdog stops the run
        }
        broker.stop();
        long protocolErrors = 0;
        try (var lines = Files.lines(dir.resolve("broker").resolve("mosquitto.log"))) {
            protocolErrors = lines.filter(l -> l.contains("protocol error")).count();
        }

        // merge
        List<Map<String, Double>> sums = new ArrayList<>();
        boolean allOk = true;
        for (Worker w : workers) {
            if (w.summary == null) {
                System.out.println("fleet-multi: simulator " + w.prefix + " printed no summary (exit " + w.process.exitValue() + "); its last line: " + w.lastLine);
                allOk = false;
                continue;
            }
            Map<String, Double> m = new HashMap<>();
            for (String kv : w.summary.split(" ")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
            }
            sums.add(m);
            allOk &= m.get("ok") == 1.0;
        }
        double steadyS = max(sums, "wallS");
        double n = sum(sums, "vehicles");
        double fedPerVehicleS = sum(sums, "fed") / steadyS / n, real = sums.isEmpty() ? 1 : sums.get(0).get("realSamplesPerS");
        double pubPerVehicleS = sum(sums, "pubBytes") / steadyS / n;
        System.out.printf(Locale.ROOT, "%n== fleet-multi: %d vehicles in %d processes%n", (long) n, sums.size());
        System.out.printf(Locale.ROOT, "connected: %d of %d (each simulator's connect: %s s); at the end %d%n", (long) count(sums, "connectS"), (long) n,
                list(sums, "connectS"), (long) sum(sums, "connectedAtEnd"));
        System.out.printf(Locale.ROOT, "steady state (%.0f s): broker delivered %.0f msgs/s, %.0f bytes/s to the clouds; vehicles published %.1f B/s each = %.2f MB per vehicle-day; "
                        + "samples fed %.0f per vehicle-s = %.1f %% of real time%n",
                steadyS, sum(sums, "cloudMsgs") / steadyS, sum(sums, "cloudBytes") / steadyS, pubPerVehicleS, pubPerVehicleS * 86400 / 1e6,
                fedPerVehicleS, 100 * fedPerVehicleS / real);
        System.out.printf(Locale.ROOT, "alert latency (sample -> cloud) %s; of which publish -> cloud %s; command round trip at %.0f/s %s (%d sent, %d answered)%n",
                percentiles(workers, "alert-latency-ms.txt"), percentiles(workers, "alert-uplink-ms.txt"), commandRate, percentiles(workers, "command-rtt-ms.txt"),
                (long) sum(sums, "commandsSent"), (long) sum(sums, "commandsAnswered"));
        System.out.printf(Locale.ROOT, "per 1,000 vehicles: simulator CPU %.2f cores, RSS %.0f MB (heap %.0f MB); threads %d (%.2f per vehicle), memory maps %d, fds %d; "
                        + "mosquitto %.3f cores and RSS %d MB in total; the machine's CPUs %.0f %% busy (/proc/stat); the simulators' RSS after the steady state %s MB%n",
                sum(sums, "cpuS") / steadyS * 1000 / n, sum(sums, "rssMb") * 1000 / n, sum(sums, "heapMb") * 1000 / n, (long) sum(sums, "threads"),
                sum(sums, "threads") / n, (long) sum(sums, "maps"), (long) sum(sums, "fds"), brokerCores, brokerRssMb, 100 * machineBusy, simRss);
        for (int i = 1; i <= outages.length; i++) printCurve(workers, i, outages[i - 1], n);
        System.out.printf(Locale.ROOT, "outage (last): backlog %d samples (%.0f per vehicle; steady level %.0f), %.1f MB stored; all back after %s s (per simulator), drained to the steady level after %s s; "
                        + "drain published %.1f MB%n",
                (long) sum(sums, "backlogSamples"), sum(sums, "backlogSamples") / n, sum(sums, "avgBuffered") / n, sum(sums, "backlogBytes") / 1e6,
                list(sums, "allConnectedS"), list(sums, "drainedS"), sum(sums, "drainMb"));
        System.out.printf(Locale.ROOT, "delivery: %d batches acknowledged by the broker, %d of them not received by the cloud; %d duplicate deliveries (same sequence); "
                        + "alerts: %d of %d committed samples received, %d not received after the flush window (%d of them still buffered on their vehicle, %d lost)%n",
                (long) sum(sums, "acked"), (long) sum(sums, "lost"), (long) sum(sums, "duplicates"), (long) sum(sums, "alertsReceived"),
                (long) sum(sums, "alertsCommitted"), (long) sum(sums, "alertsUndelivered"), (long) sum(sums, "alertsUndeliveredBuffered"), (long) sum(sums, "alertsLost"));
        System.out.printf(Locale.ROOT, "settle: each simulator waited %s s after its flush for its cloud; %d simulators' clouds were still receiving when the settle limit ended%n",
                list(sums, "settleS"), (long) sum(sums, "cloudStillReceiving"));
        System.out.printf(Locale.ROOT, "mosquitto logged %d 'disconnected due to protocol error' (refused sessions; docs/fleet.md)%n", protocolErrors);
        boolean ok = allOk && sums.size() == k;
        System.out.println(ok ? "fleet-multi: PASS" : "fleet-multi: FAIL");
        if (check && !ok) System.exit(1); // the shutdown hook stops what is left
        System.exit(0);
    }

    /** Waits until every simulator printed {@code reached}; then tells them {@code next} (if any). */
    private static void barrier(List<Worker> workers, String reached, String next) throws Exception {
        for (Worker w : workers) {
            String m = w.markers.take();
            if (!m.equals(reached)) {
                System.out.println("fleet-multi: simulator " + w.prefix + " " + (m.equals("exit") ? "exited" : "said " + m) + " while waiting for '" + reached + "'; last line: " + w.lastLine);
                for (Worker x : workers) x.process.destroy();
                Thread.sleep(3000);
                broker.stop(); // halt runs no shutdown hook
                Runtime.getRuntime().halt(1);
            }
        }
        if (next != null) for (Worker w : workers) w.stdin.println(next);
    }

    /** The fleet-wide reconnect and drain curve: per second summed over the simulators (one that finished keeps its last value). */
    private static void printCurve(List<Worker> workers, int outage, int outageS, double n) {
        TreeMap<Long, long[][]> bySecond = new TreeMap<>(); // second -> per worker {connected, msgs, bytes}
        for (Worker w : workers) {
            synchronized (w.secLines) {
                for (String line : w.secLines) {
                    String[] f = line.split(" ");
                    if (Integer.parseInt(f[1]) != outage) continue;
                    long s = Long.parseLong(f[2]);
                    bySecond.computeIfAbsent(s, x -> new long[workers.size()][]);
                    bySecond.get(s)[w.index] = new long[] {Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])};
                }
            }
        }
        // rates per simulator between its own rows (a starved simulator's rows can be many seconds apart), summed per second
        long[][] last = new long[workers.size()][];
        long[] lastS = new long[workers.size()];
        double peakC = 0, peakM = 0, peakB = 0;
        long allBackS = -1;
        long[] connectedNow = new long[workers.size()];
        for (Map.Entry<Long, long[][]> e : bySecond.entrySet()) {
            double c = 0, m = 0, b = 0;
            for (int i = 0; i < last.length; i++) {
                long[] row = e.getValue()[i];
                if (row == null) continue;
                if (last[i] != null) {
                    double dt = Math.max(1, e.getKey() - lastS[i]);
                    c += (row[0] - last[i][0]) / dt;
                    m += (row[1] - last[i][1]) / dt;
                    b += (row[2] - last[i][2]) / dt;
                }
                last[i] = row;
                lastS[i] = e.getKey();
                connectedNow[i] = row[0];
            }
            peakC = Math.max(peakC, c);
            peakM = Math.max(peakM, m);
            peakB = Math.max(peakB, b);
            if (allBackS < 0 && Arrays.stream(connectedNow).sum() >= n) allBackS = e.getKey();
        }
        System.out.printf(Locale.ROOT, "outage %d (%d s): fleet-wide after the restart (every 5 s; connected, backlog samples, msgs the clouds received since the restart):%n", outage, outageS);
        TreeMap<Long, long[][]> curve = new TreeMap<>();
        for (Worker w : workers) {
            synchronized (w.curveLines) {
                for (String line : w.curveLines) {
                    String[] f = line.split(" ");
                    if (Integer.parseInt(f[1]) != outage) continue;
                    long s = Math.round(Long.parseLong(f[2]) / 5.0) * 5;
                    curve.computeIfAbsent(s, x -> new long[workers.size()][]);
                    curve.get(s)[w.index] = new long[] {Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])};
                }
            }
        }
        long[][] lastRow = new long[workers.size()][];
        for (Map.Entry<Long, long[][]> e : curve.entrySet()) {
            long c = 0, b = 0, m = 0;
            for (int i = 0; i < lastRow.length; i++) {
                if (e.getValue()[i] != null) lastRow[i] = e.getValue()[i];
                if (lastRow[i] != null) {
                    c += lastRow[i][0];
                    b += lastRow[i][1];
                    m += lastRow[i][2];
                }
            }
            System.out.printf(Locale.ROOT, "  t+%3d s: %6d connected, backlog %9d samples, %8d msgs%n", e.getKey(), c, b, m);
        }
        System.out.printf(Locale.ROOT, "  all %d back after %s; peak %.0f connects/s, %.0f msgs/s and %.0f KB/s to the clouds (each simulator's rate between its own rows, summed per second)%n",
                (long) n, allBackS < 0 ? "NOT within the drain limit" : allBackS + " s", peakC, peakM, peakB / 1e3);
    }

    private static String percentiles(List<Worker> workers, String file) throws IOException {
        List<Double> all = new ArrayList<>();
        for (Worker w : workers) {
            Path p = w.samples.resolve(file);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p)) if (!line.isBlank()) all.add(Double.parseDouble(line));
        }
        if (all.isEmpty()) return "(no samples)";
        double[] a = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "p50 %.1f ms p99 %.1f ms (%d samples)", a[(int) (0.5 * a.length)], a[Math.min(a.length - 1, (int) (0.99 * a.length))], a.length);
    }

    private static double sum(List<Map<String, Double>> l, String key) {
        return l.stream().mapToDouble(m -> m.getOrDefault(key, 0.0)).sum();
    }

    private static double max(List<Map<String, Double>> l, String key) {
        return l.stream().mapToDouble(m -> m.getOrDefault(key, 0.0)).max().orElse(1);
    }

    private static long count(List<Map<String, Double>> l, String key) {
        long c = 0;
        for (Map<String, Double> m : l) if (m.getOrDefault(key, -1.0) >= 0) c += m.get("vehicles").longValue();
        return c;
    }

    private static String list(List<Map<String, Double>> l, String key) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Double> m : l) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", m.getOrDefault(key, -1.0)));
        return b.toString();
    }

    private static String workersRss(List<Worker> workers) {
        StringBuilder b = new StringBuilder();
        for (Worker w : workers) b.append(b.length() == 0 ? "" : ", ").append(w.process.isAlive() ? FleetSim.rssKb(w.process.pid()) >> 10 : -1);
        return b.toString();
    }

    /** {threads (scheduling entities) on the machine, kernel.pid_max}; from /proc/loadavg's "running/total". */
    static long[] machineThreads() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            long total = Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
            long pidMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
            return new long[] {total, pidMax};
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
    }

    static long memAvailableMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        } catch (IOException e) {
            // not on Linux
        }
        return -1;
    }

    /** {idle + iowait, total} jiffies of the whole machine (/proc/stat). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            return new long[] {Long.parseLong(f[4]) + Long.parseLong(f[5]), total};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }
}
