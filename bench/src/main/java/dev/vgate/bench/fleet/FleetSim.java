package dev.vgate.bench.fleet;

import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.upload.UploaderConfig;
import dev.vgate.buffer.wire.BatchDecoder;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CandumpFormat;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.SharedPahoExecutor;
import dev.vgate.protocol.telemetry.TelemetryBatch;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fleet simulator: N virtual vehicles in one JVM, each running vgate's real telemetry pipeline with its own
 * MQTT v5 session ({@link Vehicle}), replaying a real recording at a per-vehicle time offset, against
 * Debian's mosquitto started here on a loopback port; a simulated cloud subscribes to every vehicle's
 * telemetry and alerts and sends commands. Phases: connect, steady state (measured), broker outage (stopped
 * for --outage-s, then restarted on the same port), reconnect storm and drain, then the checks. Prints a
 * report (docs/fleet.md explains every figure). Run:
 * {@code java -Xss256k -Xmx3g -cp bench/target/benchmarks.jar dev.vgate.bench.fleet.FleetSim --vehicles 1000}
 * With --check it exits 1 unless every vehicle connected (before and after the outage), every batch the
 * broker acknowledged reached the cloud, every committed alert arrived, and the backlog drained.
 */
public final class FleetSim {
    /** A recording decoded once, as arrays; every vehicle walks it with its own cursor and offset. */
    static final class Replay {
        final long[] t, raw;
        final double[] values;
        final Signal[] signals;
        final long t0, lengthUs;
        final Signal alertSignal;

        Replay(List<long[]> tr, List<Double> vals, List<Signal> sigs, Signal alertSignal) {
            int n = tr.size();
            t = new long[n];
            raw = new long[n];
            values = new double[n];
            signals = new Signal[n];
            for (int i = 0; i < n; i++) {
                t[i] = tr.get(i)[0];
                raw[i] = tr.get(i)[1];
                values[i] = vals.get(i);
                signals[i] = sigs.get(i);
            }
            t0 = t[0];
            lengthUs = t[n - 1] - t0 + 10_000;
            this.alertSignal = alertSignal;
        }

        double samplesPerSecond() { return t.length / (lengthUs / 1e6); }
    }

    /** Counters shared by feeders, vehicles and the cloud. */
    static final class Stats {
        final LongAdder fed = new LongAdder();
        final LongAdder alertsCommitted = new LongAdder();
        final LongAdder cloudMessages = new LongAdder(), cloudBytes = new LongAdder(), duplicates = new LongAdder();
        final LongAdder cloudAlertSamples = new LongAdder(), commandsSent = new LongAdder(), commandsAnswered = new LongAdder();
        final Map<String, Set<Long>> received = new ConcurrentHashMap<>();
        /** Alert samples received per vehicle (first delivery of each sequence only), for the per-vehicle alert check. */
        final Map<String, LongAdder> alertsReceived = new ConcurrentHashMap<>();
        /** Only this fleet's vehicles count (several simulators can share one broker: FleetMulti). */
        String idPrefix = "";
        final List<Double> alertLatencyMs = new ArrayList<>();
        final List<Double> commandRttMs = new ArrayList<>();
        final List<Double> alertUplinkMs = new ArrayList<>();
        volatile boolean measuring;

        void fed(int n) { fed.add(n); }

        void alertFed(int vehicle, long tUs) { }

        void alertLatency(double ms) {
            if (measuring) synchronized (alertLatencyMs) { alertLatencyMs.add(ms); }
        }

        void alertUplink(double ms) {
            if (measuring) synchronized (alertUplinkMs) { alertUplinkMs.add(ms); }
        }

        void commandRtt(double ms) {
            if (measuring) synchronized (commandRttMs) { commandRttMs.add(ms); }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int vehicles = Integer.parseInt(o.getOrDefault("vehicles", "1000"));
        Path data = Path.of(o.getOrDefault("data", "../shared/data"));
        String recording = o.getOrDefault("recording", "comp-can");
        int steadyS = Integer.parseInt(o.getOrDefault("steady-s", "40"));
        // one outage, or several in turn on the same fleet ("30,60,120": the drain time against the backlog size)
        int[] outages = Arrays.stream(o.getOrDefault("outage-s", "30").split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        int drainLimitS = Integer.parseInt(o.getOrDefault("drain-limit-s", "90"));
        // after the flush: how long the check waits for the cloud to receive what the broker acknowledged, while it
        // still receives (a starved cloud can be minutes behind; a batch queued in its session is not lost)
        int settleLimitS = Integer.parseInt(o.getOrDefault("settle-limit-s", "120"));
        int settleQuietS = Integer.parseInt(o.getOrDefault("settle-quiet-s", "20"));
        double commandRate = Double.parseDouble(o.getOrDefault("command-rate", "20"));
        int feeders = Integer.parseInt(o.getOrDefault("feeders", "2"));
        long intervalMs = Long.parseLong(o.getOrDefault("interval-ms", "1000"));
        int connectRate = Integer.parseInt(o.getOrDefault("connect-rate", "500"));
        boolean check = o.containsKey("check");
        // run by FleetMulti: the broker is stopped and restarted by the coordinator; the phases wait for its word on stdin
        boolean coordinated = o.containsKey("coordinated");
        String idPrefix = o.getOrDefault("id-prefix", "sim");
        int connectLimitS = Integer.parseInt(o.getOrDefault("connect-limit-s", "120"));
        Path samplesOut = o.containsKey("samples-out") ? Path.of(o.get("samples-out")) : null;
        if (coordinated && !o.containsKey("broker")) throw new IllegalArgumentException("--coordinated needs --broker (the coordinator's mosquitto)");
        Path mosquittoBin = Path.of(o.getOrDefault("mosquitto", "/usr/sbin/mosquitto"));
        // an external broker or cluster (EMQX, HiveMQ, ...): no mosquitto is started and there is no outage phase
        String external = o.get("broker");
        if (external == null && !Files.isExecutable(mosquittoBin)) {
            System.out.println("fleet simulation SKIPPED: " + mosquittoBin + " is not installed (Debian package mosquitto)");
            return;
        }

        // the recording and its DBC (../shared/data/PROVENANCE.md)
        Path log;
        Path dbcFile;
        String alertName;
        double alertDeadband;
        if (recording.equals("p-can")) {
            log = data.resolve("logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log");
            dbcFile = data.resolve("dbc/cantools-compat/kona_pcan.cantools-compat.dbc");
            alertName = o.getOrDefault("alert-signal", "BMS_542.SocDisp");
            alertDeadband = Double.parseDouble(o.getOrDefault("alert-deadband", "0"));
        } else {
            log = data.resolve("logs/kona_ev_2020_compcan_heating/kona_ev_2020_compcan_heating.candump.log");
            dbcFile = data.resolve("dbc/kona-ev-dbc/comp_can.dbc");
            alertName = o.getOrDefault("alert-signal", "Setpoint");
            alertDeadband = Double.parseDouble(o.getOrDefault("alert-deadband", "0"));
        }
        if (!Files.exists(log) || !Files.exists(dbcFile)) {
            System.out.println("fleet simulation SKIPPED: " + log + " or " + dbcFile + " not found (the real recordings live in ../shared/data)");
            return;
        }
        DbcDatabase dbc = DbcDatabase.load(dbcFile);
        Replay replay = decode(log, dbc, alertName);
        String policyYaml = "version: 1\ndefault: {mode: max-rate, interval_ms: " + intervalMs + ", priority: normal}\nrules:\n"
                + "  - match: \"" + alertName + "\"\n    mode: on-change\n    deadband: " + alertDeadband + "\n    priority: alert\n";
        CollectionPolicy policy = PolicyLoader.parse(policyYaml, "fleet-policy.yaml");

        Path dir = Files.createTempDirectory("vgate-fleet");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")); // the broker's user reaches broker/
        Stats stats = new Stats();
        stats.idPrefix = idPrefix;
        Mosquitto broker = external == null ? new Mosquitto(mosquittoBin, dir) : null;
        if (broker != null) {
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    broker.stop(); // also when the run is interrupted: never leave the broker behind
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        String brokerUri = broker != null ? broker.uri() : external;
        MqttSettings base = MqttSettings.of(brokerUri, "x");
        if (o.containsKey("keep-alive-s")) {
            // a starved simulator (thousands of vehicles per core) cannot send its pings within the broker's 1.5 x keep-alive
            base = new MqttSettings(base.serverUri(), base.clientId(), base.sessionExpiry(), Duration.ofSeconds(Long.parseLong(o.get("keep-alive-s"))),
                    base.connectTimeout(), base.reconnectMin(), base.reconnectMax(), base.caFile(), base.certFile(), base.keyFile(), base.username(), base.password());
        }
        if (o.containsKey("ca") || o.containsKey("cert")) {
            base = base.withTls(o.containsKey("ca") ? Path.of(o.get("ca")) : null, o.containsKey("cert") ? Path.of(o.get("cert")) : null,
                    o.containsKey("key") ? Path.of(o.get("key")) : null);
        }
        if (o.containsKey("username")) base = base.withCredentials(o.get("username"), o.get("password"));
        System.out.printf(Locale.ROOT, "fleet: %d vehicles, recording %s (%d samples over %.1f s, %.0f samples/s per vehicle), policy max-rate %d ms + alerts on %s, %s%n",
                vehicles, recording, replay.t.length, replay.lengthUs / 1e6, replay.samplesPerSecond(), intervalMs, alertName, broker != null ? "mosquitto on " + brokerUri : "external broker " + brokerUri);

        // the simulated cloud: one persistent session subscribed to every vehicle
        MqttSettings cloudSettings = new MqttSettings(brokerUri, idPrefix + "-cloud", base.sessionExpiry(), base.keepAlive(),
                base.connectTimeout(), Duration.ofMillis(200), Duration.ofSeconds(2), base.caFile(), base.certFile(), base.keyFile(), base.username(), base.password());
        PahoMqttLink cloud = new PahoMqttLink(cloudSettings);
        cloud.subscribe("vgate/+/telemetry", 1, in -> onBatch(in, stats, false));
        cloud.subscribe("vgate/+/alerts", 1, in -> onBatch(in, stats, true));
        cloud.subscribe("vgate/+/command-results", 1, in -> {
            if (!in.topic().startsWith("vgate/" + idPrefix)) return; // another simulator's vehicle
            long sent = ByteBuffer.wrap(in.payload()).getLong();
            stats.commandsAnswered.increment();
            stats.commandRtt((System.nanoTime() - sent) / 1e6);
        });
        cloud.start();
        if (!cloud.awaitConnected(Duration.ofSeconds(30))) throw new IllegalStateException("the cloud subscriber could not connect");
        Thread.sleep(500); // subscriptions in place

        SharedPahoExecutor shared = new SharedPahoExecutor(4, 256 << 10);
        ExecutorService alertPoller = Executors.newFixedThreadPool(2, r -> { Thread t = new Thread(r, "fleet-alert-poll"); t.setDaemon(true); return t; });
        List<Vehicle> fleet = new ArrayList<>(vehicles);
        SplittableRandom rnd = new SplittableRandom(16);
        long startUs = System.currentTimeMillis() * 1000;
        long createStart = System.nanoTime();
        for (int i = 0; i < vehicles; i++) {
            if (coordinated && i > 0 && i % 500 == 0) System.out.println("created " + i + " vehicles");
            Vehicle v = new Vehicle(i, idPrefix, dir, brokerUri, shared, dbc, policy, replay, rnd.nextLong(replay.lengthUs), alertPoller, base);
            fleet.add(v);
        }
        // count committed alerts (the listener chain: GroupCommitter -> Vehicle -> Uploader)
        AtomicLong feederErrors = new AtomicLong();
        List<Thread> feederThreads = new ArrayList<>();
        volatileRunning = true;
        for (int f = 0; f < feeders; f++) {
            int from = f * vehicles / feeders, to = (f + 1) * vehicles / feeders;
            Thread t = new Thread(() -> {
                while (volatileRunning) {
                    long tick = System.nanoTime();
                    for (int i = from; i < to && volatileRunning; i++) { // a starved pass can take minutes: stop mid-pass at the end
                        try {
                            fleet.get(i).step(startUs, System.currentTimeMillis() * 1000, stats);
                        } catch (Exception e) {
                            if (feederErrors.incrementAndGet() < 5) System.out.println("feeder: vehicle " + i + ": " + e.getMessage());
                        }
                    }
                    long sleepMs = 20 - (System.nanoTime() - tick) / 1_000_000;
                    if (sleepMs > 0) {
                        try { Thread.sleep(sleepMs); } catch (InterruptedException e) { return; }
                    }
                }
            }, "fleet-feeder-" + f);
            t.setDaemon(true);
            t.start();
            feederThreads.add(t);
        }
        // connect, paced at --connect-rate per second (a fleet powering up over a few seconds)
        for (int i = 0; i < vehicles; i++) {
            fleet.get(i).start();
            if ((i + 1) % Math.max(1, connectRate / 10) == 0) Thread.sleep(100);
        }
        double connectS = waitConnected(fleet, vehicles, connectLimitS);
        System.out.printf(Locale.ROOT, "connected: %d of %d vehicles, %.1f s after the first connect (paced at %d/s)%n", connected(fleet), vehicles, connectS, connectRate);

        // commands at --command-rate per second to random vehicles
        Thread commander = new Thread(() -> {
            SplittableRandom cr = new SplittableRandom(7);
            long periodNs = (long) (1e9 / Math.max(0.001, commandRate));
            long next = System.nanoTime();
            while (volatileRunning) {
                Vehicle v = fleet.get(cr.nextInt(vehicles));
                byte[] payload = ByteBuffer.allocate(16).putLong(System.nanoTime()).putLong(v.index).array();
                cloud.publish("vgate/" + v.id + "/commands", payload, MqttLink.PublishOptions.qos1());
                stats.commandsSent.increment();
                next += periodNs;
                long sleep = (next - System.nanoTime()) / 1_000_000;
                if (sleep > 0) {
                    try { Thread.sleep(sleep); } catch (InterruptedException e) { return; }
                }
            }
        }, "fleet-commands");
        commander.setDaemon(true);
        commander.start();

        // several simulators: the steady state is measured at the same time in all of them
        if (coordinated) awaitCoordinator("connected", "steady");
        // steady state: skip 12 s (the first 10 s batches), then measure
        Thread.sleep(12_000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime(), brokerCpu0 = broker == null ? 0 : cpuTicks(broker.pid());
        long msgs0 = stats.cloudMessages.sum(), bytes0 = stats.cloudBytes.sum(), fed0 = stats.fed.sum();
        long pub0 = publishedBytes(fleet), cmd0 = stats.commandsAnswered.sum();
        stats.measuring = true;
        long steadyBuffered = 0;
        int samplesTaken = 0;
        for (int s = 0; s < steadyS; s += 5) {
            Thread.sleep(5000);
            steadyBuffered += buffered(fleet);
            samplesTaken++;
        }
        stats.measuring = false;
        double wallS = (System.nanoTime() - wall0) / 1e9;
        double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
        double brokerCpuS = broker == null ? 0 : (cpuTicks(broker.pid()) - brokerCpu0) / 100.0;
        double msgsPerS = (stats.cloudMessages.sum() - msgs0) / wallS;
        double bytesPerS = (stats.cloudBytes.sum() - bytes0) / wallS;
        double pubBytesPerVehicleS = (publishedBytes(fleet) - pub0) / wallS / vehicles;
        double fedPerS = (stats.fed.sum() - fed0) / wallS;
        System.gc();
        long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        long rssMb = rssKb("self") >> 10, brokerRssMb = broker == null ? 0 : rssKb(Long.toString(broker.pid())) >> 10;
        int threads = osThreads();
        long steadyMaps = countLines(Path.of("/proc/self/maps")), steadyFds = countDir(Path.of("/proc/self/fd"));
        double avgBuffered = (double) steadyBuffered / Math.max(1, samplesTaken);
        System.out.printf(Locale.ROOT, "steady state (%.0f s): broker delivers %.0f msgs/s, %.0f bytes/s to the cloud; vehicles publish %.0f B/s each = %.1f MB per vehicle-day at this policy%n",
                wallS, msgsPerS, bytesPerS, pubBytesPerVehicleS, pubBytesPerVehicleS * 86400 / 1e6);
        System.out.printf(Locale.ROOT, "  samples fed %.0f/s (%.0f per vehicle: %.0f %% of real time); alert latency (sample time -> cloud) p50 %.1f ms p99 %.1f ms (%d alerts; of which publish -> cloud p50 %.1f ms p99 %.1f ms); command round trip at %.0f/s p50 %.1f ms p99 %.1f ms (%d answered)%n",
                fedPerS, fedPerS / vehicles, 100 * fedPerS / vehicles / replay.samplesPerSecond(), pct(stats.alertLatencyMs, 50), pct(stats.alertLatencyMs, 99), stats.alertLatencyMs.size(), pct(stats.alertUplinkMs, 50), pct(stats.alertUplinkMs, 99),
                commandRate, pct(stats.commandRttMs, 50), pct(stats.commandRttMs, 99), stats.commandsAnswered.sum() - cmd0);
        System.out.printf(Locale.ROOT, "  per 1,000 vehicles: simulator CPU %.2f cores, heap %.0f MB, RSS %.0f MB; mosquitto CPU %.2f cores, RSS %.0f MB; JVM threads %d (/proc Threads; %.2f per vehicle)%n",
                cpuS / wallS * 1000 / vehicles, heapMb * 1000.0 / vehicles, rssMb * 1000.0 / vehicles, brokerCpuS / wallS * 1000 / vehicles,
                brokerRssMb * 1000.0 / vehicles, threads, (double) threads / vehicles);

        // outage(s): the broker stops, the fleet buffers, the broker comes back on the same port; each outage's
        // drain is measured until the fleet's backlog is back at its steady level
        StringBuilder drainTable = new StringBuilder();
        double drainedS = -1;
        long backlogSamples = 0, backlogBytes = 0;
        double allConnectedS = -1, drainMb = 0;
        int outageIndex = 0;
        for (int outageS : broker == null && !coordinated ? new int[0] : outages) {
        outageIndex++;
        long restart;
        if (broker != null) {
            System.out.printf(Locale.ROOT, "outage: broker stopped for %d s%n", outageS);
            broker.stop();
            Thread.sleep(outageS * 1000L);
            backlogSamples = buffered(fleet);
            backlogBytes = storedBytes(fleet);
            broker.start();
            restart = System.nanoTime();
        } else {
            // the coordinator stops its broker for outageS and says when it is back; the backlog is read right after
            awaitCoordinator("outage-ready", "restarted");
            restart = System.nanoTime();
            System.out.printf(Locale.ROOT, "outage: the coordinator's broker was stopped for %d s and is back%n", outageS);
            backlogSamples = buffered(fleet);
            backlogBytes = storedBytes(fleet);
        }
        System.out.printf(Locale.ROOT, "broker restarted; backlog %d samples, %.1f MB stored (%.0f samples per vehicle; steady level %.0f per vehicle)%n",
                backlogSamples, backlogBytes / 1e6, (double) backlogSamples / vehicles, avgBuffered / vehicles);
        int lastConnected = 0;
        allConnectedS = -1;
        drainedS = -1;
        int peakConnectRate = 0;
        long peakMsgRate = 0, peakByteRate = 0;
        long pubAtRestart = publishedBytes(fleet);
        long msgsAtRestart = stats.cloudMessages.sum();
        long lastMsgs = msgsAtRestart, lastBytes = stats.cloudBytes.sum(), lastTick = restart;
        StringBuilder curve = new StringBuilder();
        if (coordinated) System.out.printf(Locale.ROOT, "FLEET-SEC %d 0 0 %d %d%n", outageIndex, msgsAtRestart, lastBytes); // the baseline at the restart
        // a curve point every 5 s of wall clock and one at the limit: on a starved machine one loop turn can take
        // longer than the whole drain limit, and counting turns then gave no point at all
        long nextPoint = restart + 5_000_000_000L;
        for (boolean last = false; !last; ) {
            Thread.sleep(1000);
            last = (System.nanoTime() - restart) / 1e9 >= drainLimitS;
            int c = connected(fleet);
            long now = System.nanoTime(), m = stats.cloudMessages.sum(), by = stats.cloudBytes.sum();
            double dt = (now - lastTick) / 1e9;
            peakConnectRate = Math.max(peakConnectRate, (int) Math.round((c - lastConnected) / dt));
            peakMsgRate = Math.max(peakMsgRate, Math.round((m - lastMsgs) / dt));
            peakByteRate = Math.max(peakByteRate, Math.round((by - lastBytes) / dt));
            lastConnected = c;
            lastMsgs = m;
            lastBytes = by;
            lastTick = now;
            double since = (now - restart) / 1e9;
            if (allConnectedS < 0 && c == vehicles) allConnectedS = since;
            // per second, for the coordinator's fleet-wide curve and peaks (sums over the simulators)
            if (coordinated) System.out.printf(Locale.ROOT, "FLEET-SEC %d %.0f %d %d %d%n", outageIndex, since, c, m, by);
            if (now >= nextPoint || last || allConnectedS == since) {
                while (nextPoint <= now) nextPoint += 5_000_000_000L;
                long b = buffered(fleet);
                curve.append(String.format(Locale.ROOT, "  t+%3.0f s: %5d connected, backlog %8d samples, cloud received %d msgs%n", since, c, b, m - msgsAtRestart));
                if (coordinated) System.out.printf(Locale.ROOT, "FLEET-CURVE %d %.0f %d %d %d%n", outageIndex, since, c, b, m - msgsAtRestart);
                if (drainedS < 0 && b <= Math.max(1.5 * avgBuffered, avgBuffered + vehicles * 20L)) {
                    drainedS = since;
                    break;
                }
            }
        }
        System.out.print(curve);
        double recoveryWall = (System.nanoTime() - restart) / 1e9;
        drainMb = (publishedBytes(fleet) - pubAtRestart) / 1e6;
        System.out.printf(Locale.ROOT, "reconnect storm: all %d connected after %.1f s (peak %d connects/s); backlog of %d samples drained to the steady level after %s; drain published %.1f MB (%.0f KB/s fleet-wide)%n",
                vehicles, allConnectedS, peakConnectRate, backlogSamples, drainedS < 0 ? "NOT within " + drainLimitS + " s" : String.format(Locale.ROOT, "%.0f s", drainedS),
                drainMb, drainMb * 1e3 / recoveryWall);
        // the bounds the vehicles' settings put on the broker (UploaderConfig defaults, MqttSettings.of)
        UploaderConfig uc = UploaderConfig.defaults("x");
        System.out.printf(Locale.ROOT, "  broker saw: peak %d msgs/s and %.0f KB/s to the cloud; bound: drain %d KB/s per vehicle (%.0f MB/s fleet-wide) plus alerts, "
                        + "%d batches in flight per vehicle; first reconnects within %.0f-%.0f ms of the loss%n",
                peakMsgRate, peakByteRate / 1e3, uc.drainBytesPerSecond() / 1024, vehicles * uc.drainBytesPerSecond() / 1e6, uc.maxInflight(),
                base.reconnectMin().toMillis() * 0.75, base.reconnectMin().toMillis() * 1.25);
        drainTable.append(String.format(Locale.ROOT, "  | %4d s | %9d | %8.0f | %7.2f | %s | %5.1f | %4d | %5d | %6.0f |%n", outageS, backlogSamples,
                (double) backlogSamples / vehicles, backlogBytes / 1e6, drainedS < 0 ? "> " + drainLimitS : String.format(Locale.ROOT, "%5.0f", drainedS),
                allConnectedS, peakConnectRate, peakMsgRate, peakByteRate / 1e3));
        }
        if (drainTable.length() > 0) {
            System.out.printf(Locale.ROOT, "drain vs backlog (%d vehicles):%n  | outage | backlog samples | per vehicle | stored MB | drain s | all back s | peak connects/s | peak msgs/s | peak KB/s |%n%s",
                    vehicles, drainTable);
        }

        // stop feeding, flush what is buffered, let deliveries settle, then check
        volatileRunning = false;
        for (Thread t : feederThreads) t.join(); // a starved feeder may need more than a few seconds to finish its pass; vehicles close after it
        commander.join(2000);
        long flushDeadline = System.nanoTime() + 45_000_000_000L;
        for (Vehicle v : fleet) v.committer.commit();
        while (System.nanoTime() < flushDeadline) {
            for (Vehicle v : fleet) v.uploader.poll();
            Thread.sleep(500);
            boolean idle = true;
            for (Vehicle v : fleet) idle &= v.uploader.idle();
            if (idle) break;
        }
        // settle: wait until the cloud has every batch the broker acknowledged, or has received nothing new for
        // settleQuietS, or settleLimitS is over. What is still missing then was not delivered while the cloud was
        // idle (lost), or the limit ended while it was still receiving (reported as such, not as delivered)
        long settleStart = System.nanoTime(), lastProgress = settleStart, lastCount = stats.cloudMessages.sum();
        long acked, lost;
        while (true) {
            long[] al = ackedAndMissing(fleet, stats);
            acked = al[0];
            lost = al[1];
            long now = System.nanoTime(), count = stats.cloudMessages.sum();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            }
            boolean quiet = (now - lastProgress) / 1e9 >= settleQuietS && (now - settleStart) / 1e9 >= 3;
            if ((lost == 0 && (now - settleStart) / 1e9 >= 3) || quiet || (now - settleStart) / 1e9 >= settleLimitS) break;
            Thread.sleep(1000);
        }
        double settleS = (System.nanoTime() - settleStart) / 1e9;
        boolean cloudStillReceiving = lost > 0 && (System.nanoTime() - lastProgress) / 1e9 < settleQuietS;
        System.out.printf(Locale.ROOT, "settle: %.0f s after the flush, %d acknowledged batches not yet received; the cloud %s%n", settleS, lost,
                lost == 0 ? "has them all" : cloudStillReceiving ? "was still receiving when the " + settleLimitS + " s settle limit ended (queued in its session: not lost, not delivered)"
                        : "received nothing for " + settleQuietS + " s");
        long alertsCommitted = Vehicle.ALERT_SAMPLES_COMMITTED.sum();
        // every vehicle's committed alerts against what the cloud received from it (connected or not): an alert
        // not received must still be in its vehicle's buffer (sent on its next poll), or it was lost
        long alertsUndelivered = 0, alertsUndeliveredBuffered = 0, alertsLost = 0;
        int vehiclesWithUndelivered = 0;
        for (Vehicle v : fleet) {
            LongAdder got = stats.alertsReceived.get(v.id);
            long missing = v.alertSamplesCommitted.sum() - (got == null ? 0 : got.sum());
            if (missing <= 0) continue;
            vehiclesWithUndelivered++;
            alertsUndelivered += missing;
            long buffered;
            try {
                buffered = v.store.stats().alertSamples();
            } catch (Exception e) {
                buffered = 0;
            }
            alertsUndeliveredBuffered += Math.min(missing, buffered);
            alertsLost += Math.max(0, missing - buffered);
        }
        System.out.printf(Locale.ROOT, "delivery: %d batches acknowledged by the broker, %d of them not received by the cloud; %d duplicate deliveries (same sequence); %d of %d committed alert samples received; %d commands sent, %d answered%n",
                acked, lost, stats.duplicates.sum(), stats.cloudAlertSamples.sum(), alertsCommitted, stats.commandsSent.sum(), stats.commandsAnswered.sum());
        System.out.printf(Locale.ROOT, "alerts, every vehicle: %d committed alert samples not received by the cloud after the flush window (%d vehicles), %d of them still in their vehicle's buffer, %d lost%n",
                alertsUndelivered, vehiclesWithUndelivered, alertsUndeliveredBuffered, alertsLost);
        List<String> stuck = new ArrayList<>();
        for (Vehicle v : fleet) if (!v.link.isConnected()) stuck.add(v.id);
        if (!stuck.isEmpty()) {
            System.out.printf(Locale.ROOT, "WARNING: %d vehicles not connected at the end (docs/fleet.md): %s%n",
                    stuck.size(), stuck.subList(0, Math.min(10, stuck.size())));
        }
        int connectedAtEnd = connected(fleet);
        boolean ok = connectS >= 0 && lost == 0 && alertsLost == 0 && feederErrors.get() == 0;
        if (coordinated) {
            // for FleetMulti: the raw latency samples (merged there, never percentiles of percentiles) and one summary line
            if (samplesOut != null) {
                Files.createDirectories(samplesOut);
                writeSamples(samplesOut.resolve("alert-latency-ms.txt"), stats.alertLatencyMs);
                writeSamples(samplesOut.resolve("alert-uplink-ms.txt"), stats.alertUplinkMs);
                writeSamples(samplesOut.resolve("command-rtt-ms.txt"), stats.commandRttMs);
            }
            System.out.println("FLEET-SUMMARY" + summary(
                    "vehicles", vehicles, "connectS", connectS, "connectedAtEnd", connectedAtEnd, "wallS", wallS, "cloudMsgs", msgsPerS * wallS,
                    "cloudBytes", bytesPerS * wallS, "pubBytes", pubBytesPerVehicleS * vehicles * wallS, "fed", fedPerS * wallS,
                    "realSamplesPerS", replay.samplesPerSecond(), "cpuS", cpuS, "heapMb", heapMb, "rssMb", rssMb, "threads", threads, "maps", steadyMaps,
                    "fds", steadyFds, "avgBuffered", avgBuffered, "backlogSamples", backlogSamples, "backlogBytes", backlogBytes,
                    "allConnectedS", allConnectedS, "drainedS", drainedS, "drainMb", drainMb, "acked", acked, "lost", lost,
                    "settleS", settleS, "cloudStillReceiving", cloudStillReceiving ? 1 : 0,
                    "duplicates", stats.duplicates.sum(), "alertsCommitted", alertsCommitted, "alertsReceived", stats.cloudAlertSamples.sum(),
                    "alertsUndelivered", alertsUndelivered, "alertsUndeliveredBuffered", alertsUndeliveredBuffered, "alertsLost", alertsLost,
                    "commandsSent", stats.commandsSent.sum(), "commandsAnswered", stats.commandsAnswered.sum(), "feederErrors", feederErrors.get(),
                    "ok", ok ? 1 : 0));
            // closing thousands of links one by one takes minutes on a starved machine: the process exit closes them
            System.out.flush();
            deleteTree(dir);
            Runtime.getRuntime().halt(ok ? 0 : 1);
        }
        for (Vehicle v : fleet) v.close();
        cloud.close();
        shared.shutdownNow();
        alertPoller.shutdownNow();
        if (broker != null) broker.stop();
        // the drain time and the latencies depend on the machine's load: reported, not checked
        System.out.println(ok ? "fleet simulation: PASS" : "fleet simulation: FAIL (connected " + connectedAtEnd + "/" + vehicles + ", lost " + lost
                + ", drained " + (drainedS >= 0) + ", alerts " + stats.cloudAlertSamples.sum() + "/" + alertsCommitted + " received, " + alertsLost
                + " lost, feeder errors " + feederErrors.get() + ")");
        if (!ok) {
            for (String f : new String[] {"mosquitto.out", "mosquitto.log"}) {
                Path bf = dir.resolve("broker").resolve(f); // absent with an external broker
                List<String> lines = Files.exists(bf) ? Files.readAllLines(bf) : List.of();
                System.out.println("--- " + f + " (last lines)");
                lines.stream().filter(l -> !l.contains("New connection") && !l.contains("New client") && !l.contains("Client fleet-cloud")).limit(40).forEach(System.out::println);
            }
        }
        deleteTree(dir);
        if (check && !ok) System.exit(1);
        System.exit(0);
    }

    /** {batches the broker acknowledged, of them not (yet) received by the cloud}, over the whole fleet. */
    private static long[] ackedAndMissing(List<Vehicle> fleet, Stats stats) {
        long acked = 0, missing = 0;
        for (Vehicle v : fleet) {
            Set<Long> got = stats.received.getOrDefault(v.id, Set.of());
            for (long seq : v.acknowledged) {
                acked++;
                if (!got.contains(seq)) missing++;
            }
        }
        return new long[] {acked, missing};
    }

    private static volatile boolean volatileRunning;

    private static final java.io.BufferedReader COORDINATOR = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));

    /** FleetMulti's barrier: says this simulator reached {@code reached}, then waits for the coordinator's {@code expected}. */
    private static void awaitCoordinator(String reached, String expected) throws java.io.IOException {
        System.out.println("FLEET-WORKER " + reached);
        System.out.flush();
        String line = COORDINATOR.readLine();
        if (line == null) throw new java.io.IOException("the coordinator went away (waiting for '" + expected + "')");
        if (!line.trim().equals(expected)) throw new java.io.IOException("the coordinator said '" + line + "', expected '" + expected + "'");
    }

    private static String summary(Object... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) b.append(' ').append(kv[i]).append('=').append(kv[i + 1] instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : kv[i + 1]);
        return b.toString();
    }

    private static void writeSamples(Path file, List<Double> samples) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        synchronized (samples) {
            for (double d : samples) b.append(String.format(Locale.ROOT, "%.3f", d)).append('\n');
        }
        Files.writeString(file, b);
    }

    private static long countLines(Path p) {
        try (var lines = Files.lines(p)) {
            return lines.count();
        } catch (Exception e) {
            return -1; // not on Linux
        }
    }

    private static long countDir(Path p) {
        try (var files = Files.list(p)) {
            return files.count();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void onBatch(MqttLink.Incoming in, Stats stats, boolean alert) {
        long now = System.currentTimeMillis() * 1000;
        String topic = in.topic();
        String vehicle = topic.substring(6, topic.indexOf('/', 6));
        if (!vehicle.startsWith(stats.idPrefix)) return; // another simulator's vehicle on the same broker
        stats.cloudMessages.increment();
        stats.cloudBytes.add(in.payload().length);
        try {
            TelemetryBatch b = BatchDecoder.parse(in.payload());
            if (!stats.received.computeIfAbsent(vehicle, k -> ConcurrentHashMap.newKeySet()).add(b.getSequence())) {
                stats.duplicates.increment();
                return;
            }
            if (alert) {
                Long published = Vehicle.ALERT_PUBLISHED.remove(vehicle + "/" + b.getSequence());
                if (published != null) stats.alertUplink((System.nanoTime() - published) / 1e6);
                LongAdder perVehicle = stats.alertsReceived.computeIfAbsent(vehicle, k -> new LongAdder());
                BatchDecoder.visit(b, (t, bus, m, s, raw, v) -> {
                    stats.cloudAlertSamples.increment();
                    perVehicle.increment();
                    stats.alertLatency((now - t) / 1000.0);
                });
            }
        } catch (Exception e) {
            System.out.println("cloud: bad batch from " + vehicle + ": " + e.getMessage());
        }
    }

    static Replay decode(Path log, DbcDatabase dbc, String alertName) throws Exception {
        List<long[]> tr = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        List<Signal> sigs = new ArrayList<>();
        FrameDecoder dec = dbc.newDecoder();
        CanFrame f = new CanFrame();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            CandumpFormat.parseLogLine(line, f);
            if (!"can0".equals(f.iface())) continue;
            long t = Math.floorDiv(f.timestampNanos(), 1000);
            dec.decode(f.id(), f.isExtended(), f.data(), f.length(), (s, raw, v) -> {
                tr.add(new long[] {t, raw});
                vals.add(v);
                sigs.add(s);
            });
        }
        Signal alert = null;
        for (Signal s : sigs) {
            if (alertName.equals(s.name()) || alertName.equals(s.message().name() + "." + s.name())) {
                alert = s;
                break;
            }
        }
        if (alert == null) throw new IllegalArgumentException("alert signal " + alertName + " is not in the recording");
        return new Replay(tr, vals, sigs, alert);
    }

    private static int connected(List<Vehicle> fleet) {
        int c = 0;
        for (Vehicle v : fleet) if (v.link.isConnected()) c++;
        return c;
    }

    private static double waitConnected(List<Vehicle> fleet, int n, int limitS) throws InterruptedException {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1e9 < limitS) {
            if (connected(fleet) == n) return (System.nanoTime() - start) / 1e9;
            Thread.sleep(100);
        }
        return -1;
    }

    private static long buffered(List<Vehicle> fleet) {
        long n = 0;
        for (Vehicle v : fleet) {
            try {
                n += v.store.stats().totalSamples();
            } catch (Exception e) {
                // a store busy with a commit: counted next time
            }
        }
        return n;
    }

    /** The process's threads as the kernel counts them (/proc/self/status Threads: what counts against pid_max). */
    private static int osThreads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
            }
        } catch (Exception e) {
            // not on Linux
        }
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Bytes the vehicles' buffers hold (SQLite files, what a backlog costs on the device). */
    private static long storedBytes(List<Vehicle> fleet) {
        long n = 0;
        for (Vehicle v : fleet) {
            try {
                n += v.store.stats().usedBytes();
            } catch (Exception e) {
                // closed or busy: counted as empty
            }
        }
        return n;
    }

    private static long publishedBytes(List<Vehicle> fleet) {
        long n = 0;
        for (Vehicle v : fleet) n += v.uploader.publishedBytes();
        return n;
    }

    private static double pct(List<Double> l, double p) {
        List<Double> copy;
        synchronized (l) {
            copy = new ArrayList<>(l);
        }
        if (copy.isEmpty()) return Double.NaN;
        double[] a = copy.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[(int) Math.min(a.length - 1, Math.floor(p / 100.0 * a.length))];
    }

    /** utime + stime of a process, in clock ticks (1/100 s). Also FleetMulti's, for the broker it starts. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    static long rssKb(long pid) { return rssKb(Long.toString(pid)); }

    /** VmRSS of a process ("self" or a pid) in KiB; 0 when it is gone or this is not Linux. */
    static long rssKb(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (Exception e) {
            // not on Linux
        }
        return 0;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp dir: left for the OS
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String k = args[i].substring(2);
            if (k.equals("check") || k.equals("coordinated")) o.put(k, "true");
            else if (i + 1 < args.length) o.put(k, args[++i]);
            else throw new IllegalArgumentException("--" + k + " needs a value");
        }
        return o;
    }
}
