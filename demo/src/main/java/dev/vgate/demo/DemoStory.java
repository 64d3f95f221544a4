package dev.vgate.demo;

import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.daemon.BusPipeline;
import dev.vgate.agent.daemon.VgateDaemon;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Message;
import dev.vgate.mqtt.MoquetteBroker;
import dev.vgate.ota.OtaListener;
import dev.vgate.ota.boot.FileBootChooser;
import dev.vgate.ota.install.InstallState;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.rules.RuleSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code vgate demo}: everything vgate does, in one process, with no hardware and no external broker. An
 * embedded MQTT v5 broker, a virtual CAN bus carrying the demo EV's drive and DC fast charge (with a coolant
 * pump failure), vgate itself with the default rules, and a simulated cloud that receives the telemetry,
 * sends a signed command and an A/B update; the gateway "reboots" into the new slot and verifies it.
 * Prints the story with the numbers it measured.
 */
public final class DemoStory {
    public static final String VEHICLE = "KMHDEMO0000000001";
    private static final int BMS_COMMAND = 0x301;
    private static final int BODY_COMMAND = 0x310;
    private static final int BMS_THERMAL = 0x101;

    private final PrintWriter out;
    private final Duration length;
    private final long seed;
    private final Path dir;
    private final AtomicLong busTime = new AtomicLong(DemoTrace.DEFAULT_START_NANOS);
    /** Wall-clock time each BMS_Thermal frame went onto the bus, by its trace time: the cutoff latency's start. */
    private final ConcurrentSkipListMap<Long, Long> thermalInjectedAt = new ConcurrentSkipListMap<>();
    private volatile long cutoffSeenAt;
    private volatile CanFrame cutoffFrame;
    private volatile DemoBmsEcu bms;
    private volatile dev.vgate.agent.daemon.LastKnownValues gatewayValues;
    private volatile long hornSeenAt;
    private volatile CanFrame hornFrame;

    public DemoStory(PrintWriter out, Duration length, long seed, Path dir) {
        this.out = out;
        this.length = length;
        this.seed = seed;
        this.dir = dir;
    }

    /** Runs the story; returns normally when every step happened as it should. */
    public void run() throws Exception {
        long t0 = System.nanoTime();
        DbcDatabase db = DemoDbc.load();
        say("vgate demo: one gateway, one simulated EV, one simulated cloud -- all in this process");
        try (MoquetteBroker broker = MoquetteBroker.start(Files.createDirectories(dir.resolve("broker")));
             DemoUpdate update = new DemoUpdate(Files.createDirectories(dir.resolve("device")));
             DemoCloud cloud = DemoCloud.connect(broker.url(), VEHICLE)) {
            say("  broker   embedded MQTT v5 (Moquette) at %s", broker.url());
            Path trust = cloud.writeTrustFile(dir, DemoUpdate.RELEASE_KEY, update.releaseKey());
            VirtualBus bus = new VirtualBus("can0", busTime::get);
            CanChannel ecus = bus.newChannel(); // the other ECUs on the bus: they receive what vgate sends
            ecus.start(this::fromGateway);
            bms = new DemoBmsEcu(bus);
            Path config = writeConfig(broker.url(), trust, update, "A");

            VgateDaemon gateway = start(config, bus);
            gatewayValues = gateway.lastValues();
            say("  gateway  vgate %s on virtual bus can0 with the demo DBC, %d default edge rules, signed commands, A/B slots (running A, %s)",
                    version(), RuleSet.load(dir.resolve("rules.yaml"), dev.vgate.rules.RuleDbc.of(db)).rules().size(), DemoUpdate.FROM);
            await("the gateway to connect and start every part", 30, () -> gateway.supervisor().allHealthy());

            drive(db, bus, gateway, cloud);
            command(cloud, db);
            update(cloud, update, gateway);
            gateway.stop();

            VgateDaemon rebooted = start(writeConfig(broker.url(), trust, update, "B"), bus);
            verifyBoot(cloud, update, rebooted);
            rebooted.stop();
            ecus.close();
            bms.close();
        }
        say("done in %.1f s. Next: ./vgate --help, docs/configuration.md, systemd/vgate.service", (System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------ the drive and the thermal event

    private void drive(DbcDatabase db, VirtualBus bus, VgateDaemon gateway, DemoCloud cloud) throws Exception {
        BusPipeline pipeline = gateway.pipeline("powertrain");
        DemoTrace trace = new DemoTrace(db, new DemoTrace.Options(seed, DemoTrace.DEFAULT_START_NANOS, length, "can0", true));
        AtomicLong injected = new AtomicLong();
        AtomicLong firstHot = new AtomicLong();
        FrameDecoder thermometer = db.newDecoder();
        long t0 = System.nanoTime();
        trace.generate(f -> {
            busTime.set(f.timestampNanos()); // the bus stamps frames with the trace's time
            if (f.id() == BMS_THERMAL) {
                thermalInjectedAt.put(f.timestampNanos(), System.nanoTime());
                if (firstHot.get() == 0) thermometer.decode(f.id(), f.isExtended(), f.data(), f.length(), (sig, raw, v) -> {
                    if (sig.name().equals("BMS_Temp") && v > 60) firstHot.set(f.timestampNanos());
                });
            }
            bus.inject(f);
            long n = injected.incrementAndGet();
            // a real bus does not queue: keep the gateway's receive queue short, so the latency below is the gateway's
            while (n - pipeline.frames() > 64) LockSupport.parkNanos(100_000);
        });
        while (pipeline.frames() < injected.get()) LockSupport.parkNanos(200_000);
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> busStatus = section(gateway.status(), "bus:powertrain");
        say("drive    %s of driving and DC fast charging (seed %d): %,d CAN frames played in %.1f s, %s decoded, %s unknown",
                human(length), seed, injected.get(), secs, busStatus.get("decoded"), busStatus.get("unknown_id"));

        await("the thermal cutoff frame", 20, () -> cutoffFrame != null);
        await("the over-temperature alert at the cloud", 20, () -> cloud.alerts.stream().anyMatch(a -> a.startsWith("battery-overtemp-cutoff fired")));
        long triggerTrace = cloud.alertTimes.getOrDefault("battery-overtemp-cutoff", 0L) * 1000L;
        Map.Entry<Long, Long> trigger = thermalInjectedAt.floorEntry(triggerTrace);
        say("thermal  coolant pump failure: BMS_Temp above 60 degC at %s into the trip; held 200 ms -> rule battery-overtemp-cutoff",
                human(Duration.ofNanos(firstHot.get() - DemoTrace.DEFAULT_START_NANOS)));
        say("         cutoff frame %s on can0 %.2f ms after the frame that completed the condition (%s)",
                hex(cutoffFrame), trigger == null ? Double.NaN : (cutoffSeenAt - trigger.getValue()) / 1e6,
                decode(db, cutoffFrame));
        say("         alerts at the cloud: %s; fault codes active: %s", String.join(", ", cloud.alerts),
                gateway.status().get("faults"));
        diagnostics(gateway, cloud);

        // every sample the drive produced must be durable first (the open window commits once a second),
        // then every durable one at the cloud
        await("the telemetry to reach the cloud", 30, () -> {
            Map<String, Object> t = section(gateway.status(), "telemetry");
            long committed = count(t, "committed_samples");
            return committed > 0 && committed == count(t, "accepted_samples") && cloud.telemetrySamples() >= committed;
        });
        say("telemetry %,d samples in %d MQTT batches, %,d bytes: %.2f bytes per sample (protobuf, xz, delta-of-delta timestamps)",
                cloud.telemetrySamples(), cloud.batches(), cloud.telemetryBytes(), cloud.telemetryBytes() / (double) cloud.telemetrySamples());
        if (cloud.badBatches() > 0) throw new IllegalStateException(cloud.badBatches() + " telemetry batches did not decode");
    }

    /**
     * The BMS stored a DTC when it opened the contactors. vgate reads it over ISO-TP on demand (as the read-dtcs
     * command does; its schedule would find it within diag.dtc.interval), reads the freeze frame of the new code
     * and uploads both at alert priority.
     */
    private void diagnostics(VgateDaemon gateway, DemoCloud cloud) throws Exception {
        String lines = String.join("; ", gateway.diag().readDtcs(List.of("bms")).get("bms"));
        await("the BMS's DTC at the cloud", 20, () -> cloud.dtcAlerts.stream().anyMatch(a -> a.startsWith("dtc/bms P0A7E")));
        await("its freeze frame at the cloud", 20, () -> cloud.dtcAlerts.stream().filter(a -> a.startsWith("freeze/")).count() >= 2);
        say("diag     UDS over ISO-TP (0x7E4/0x7EC) to the BMS: %s", lines);
        say("         DTC event at the cloud (alert priority): %s", String.join(", ", cloud.dtcAlerts));
    }

    private void fromGateway(CanFrame f) {
        long now = System.nanoTime();
        if (f.id() == BMS_COMMAND && cutoffFrame == null) {
            cutoffSeenAt = now;
            cutoffFrame = f.copy();
            if (bms != null && gatewayValues != null) {
                bms.overTemperature((int) Math.round(gatewayValues.latest("VehicleSpeed").map(r -> r.value()).orElse(0.0)),
                        (int) Math.round(gatewayValues.latest("BMS_Temp").map(r -> r.value()).orElse(0.0)));
            }
        } else if (f.id() == BODY_COMMAND && hornFrame == null) {
            hornSeenAt = now;
            hornFrame = f.copy();
        }
    }

    // ------------------------------------------------------------------ a signed command

    private void command(DemoCloud cloud, DbcDatabase db) throws Exception {
        CommandClient.Exchange ex = cloud.send("horn", Map.of("duration_ms", "300"), new byte[0]);
        CommandResponse r = DemoCloud.result(ex, 20);
        if (r.getStatus() != CommandResponse.Status.COMPLETED) throw new IllegalStateException("horn command: " + r.getStatus() + " " + r.getReasonCode() + " " + r.getDetail());
        await("the horn frame on can0", 10, () -> hornFrame != null);
        say("command  cloud -> signed 'horn' (Ed25519, key %s) -> verified -> %s on can0 -> result %s: round trip %.1f ms (ACK after %.1f ms)",
                DemoCloud.OPERATOR_KEY, decode(db, hornFrame), r.getStatus(), (ex.resultNanos() - ex.sentNanos) / 1e6,
                (ex.ackNanos() - ex.sentNanos) / 1e6);
    }

    // ------------------------------------------------------------------ the A/B update

    private void update(DemoCloud cloud, DemoUpdate update, VgateDaemon gateway) throws Exception {
        long t0 = System.nanoTime();
        CommandClient.Exchange ex = cloud.send("start-ota", Map.of(), update.signedManifest());
        CommandResponse r = DemoCloud.result(ex, 20);
        if (r.getStatus() != CommandResponse.Status.COMPLETED) throw new IllegalStateException("start-ota: " + r.getStatus() + " " + r.getReasonCode() + " " + r.getDetail());
        await("the update to be written and the slot switched", 60, () -> {
            try {
                var cur = gateway.otaService().current();
                return cur.isPresent() && cur.get().state() == InstallState.REBOOT_REQUESTED;
            } catch (Exception e) {
                return false;
            }
        });
        FileBootChooser boot = new FileBootChooser(dir.resolve("device/boot.properties"));
        say("update   signed manifest %s -> %s: %,d-byte bsdiff patch for a %,d-byte image, downloaded, written to slot B and verified (SHA-256) in %.1f s",
                DemoUpdate.FROM, DemoUpdate.TO, update.patch.length, update.newImage.length, (System.nanoTime() - t0) / 1e9);
        say("         slot B holds the new image: %s; bootloader: primary %s, slot B %s; slot A untouched -> reboot",
                update.slotBHoldsNewImage(), boot.getPrimary(), boot.getState("B"));
    }

    private void verifyBoot(DemoCloud cloud, DemoUpdate update, VgateDaemon rebooted) throws Exception {
        long t0 = System.nanoTime();
        await("the new slot's boot-verify and its report at the cloud", 60, () -> cloud.otaReports.stream().anyMatch(s -> s.contains("\"result\":\"success\"")));
        FileBootChooser boot = new FileBootChooser(dir.resolve("device/boot.properties"));
        say("reboot   running slot B: health checks passed in %.1f s -> slot B %s, primary %s; cloud got %s",
                (System.nanoTime() - t0) / 1e9, boot.getState("B"), boot.getPrimary(), cloud.otaReports.get(cloud.otaReports.size() - 1));
    }

    // ------------------------------------------------------------------ plumbing

    private VgateDaemon start(Path config, VirtualBus bus) throws Exception {
        VgateConfig cfg = ConfigLoader.load(config);
        VgateDaemon d = new VgateDaemon(cfg, Clock.systemUTC(), new VgateDaemon.Hooks(Map.of("powertrain", bus), OtaListener.NONE));
        d.start();
        return d;
    }

    /** The gateway's configuration file, as an operator would write it (docs/configuration.md). */
    private Path writeConfig(String brokerUrl, Path trust, DemoUpdate update, String bootedSlot) throws IOException {
        copyResource(DemoDbc.RESOURCE, dir.resolve("vgate-demo.dbc"));
        copyResource("/dev/vgate/rules/default-rules.yaml", dir.resolve("rules.yaml"));
        copyResource("/" + dev.vgate.command.exec.CanCommandMapping.DEFAULT_RESOURCE, dir.resolve("commands-can.yaml"));
        Path file = dir.resolve("vgate-slot-" + bootedSlot + ".yaml");
        Files.writeString(file, """
                vehicle_id: %s
                state_dir: state
                buses:
                  - name: powertrain
                    kind: virtual
                    interface: can0
                    dbc: vgate-demo.dbc
                mqtt:
                  url: %s
                  reconnect_min: 100ms
                telemetry:
                  group_commit: 200ms
                  upload_interval: 500ms
                  upload_batch_size: 100000
                  upload_drain_rate: 0
                rules: rules.yaml
                commands:
                  trust: %s
                  can_mapping: commands-can.yaml
                ota:
                  slot_a: %s
                  slot_b: %s
                  boot_control:
                    backend: file
                    state_file: %s
                  reboot_command: [/bin/true]
                  health_deadline: 30s
                  hardware_id: %s
                  image_version: %s
                  booted_slot: %s
                diag:
                  bus: powertrain
                  ecus:
                    - { name: bms, request_id: 0x7E4, response_id: 0x7EC }
                  dids:
                    - { id: 0x4001, name: pack_temp, length: 1, type: unsigned, offset: -40, unit: degC }
                  dtc:
                    interval: 1min
                status:
                  file: status.json
                  publish_period: 5s
                logging:
                  level: warn
                """.formatted(VEHICLE, brokerUrl, trust, update.slotA, update.slotB,
                dir.resolve("device/boot.properties"), DemoUpdate.HARDWARE, DemoUpdate.FROM, bootedSlot));
        return file;
    }

    private static void copyResource(String resource, Path to) throws IOException {
        try (InputStream in = DemoStory.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("resource " + resource + " is missing from vgate.jar");
            Files.write(to, in.readAllBytes());
        }
    }

    private static long count(Map<String, Object> section, String key) {
        Object v = section.get(key);
        return v instanceof Number n ? n.longValue() : -1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> status, String service) {
        Map<String, Object> services = (Map<String, Object>) status.get("services");
        Object s = services == null ? null : services.get(service);
        return s instanceof Map ? (Map<String, Object>) s : Map.of();
    }

    private static void await(String what, int seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("demo: waited " + seconds + " s for " + what);
            Thread.sleep(10);
        }
    }

    private static String decode(DbcDatabase db, CanFrame f) {
        FrameDecoder d = db.newDecoder();
        Map<String, String> values = new TreeMap<>();
        d.decode(f.id(), f.isExtended(), f.data(), f.length(), (s, raw, v) -> values.put(s.name(), s.label(raw) != null ? s.label(raw) : fmt(v)));
        Message m = d.lastMessage();
        return (m == null ? "?" : m.name()) + values;
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v); }

    private static String hex(CanFrame f) {
        StringBuilder sb = new StringBuilder(Integer.toHexString(f.id()).toUpperCase(Locale.ROOT)).append('#');
        for (int i = 0; i < f.length(); i++) sb.append(String.format("%02X", f.data()[i]));
        return sb.toString();
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }

    private static String version() {
        String v = DemoStory.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private final long started = System.nanoTime();

    private void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, "%5.1fs  ", (System.nanoTime() - started) / 1e9) + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** Removes the demo's folder. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the demo
        }
    }
}
