package dev.vgate.agent.daemon;

import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.BusKind;
import dev.vgate.agent.config.DiagConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.store.StoreException;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;
import dev.vgate.diag.isotp.KernelIsoTpNetwork;
import dev.vgate.diag.obd.ObdClient;
import dev.vgate.diag.uds.Did;
import dev.vgate.diag.uds.DidTable;
import dev.vgate.diag.uds.UdsClient;
import dev.vgate.diag.uds.UdsException;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Vehicle diagnostics in the daemon ({@code diag:} in the configuration, docs/diag.md). On the diag bus
 * (kernel ISO-TP on socketcan, the Java ISO-TP state machine on a virtual bus) it
 * <ul>
 *   <li>polls the configured OBD-II PIDs (functional 0x7DF) and feeds each answer as a frame of the
 *       {@code obd} pseudo-bus into a {@link BusPipeline}: decoded by the generated OBD DBC, seen by the
 *       edge rules, stored as telemetry, kept as last-known values;</li>
 *   <li>reads every ECU's DTCs (0x19 0x02) on the schedule and on demand; a new or cleared DTC becomes an
 *       alert-priority sample (stream bus "diag", message "dtc/ECU", signal the code, raw = status byte,
 *       -1 = cleared), a new one with its freeze frame (message "freeze/ECU/CODE", one sample per DID).
 *       The DTCs already reported are kept in the state folder, so a restart does not report them again.</li>
 * </ul>
 * One thread does all bus traffic, so diagnostics never load the bus with parallel requests.
 */
public final class DiagPart implements OptionalPart {
    private final VgateConfig config;
    private final DiagConfig cfg;
    private final Clock clock;
    private final Function<String, VirtualBus> virtualBus;
    private final Supplier<BusPipeline> obdPipeline;
    private final Supplier<GroupCommitter> committer;
    private final Path stateFile;
    private final DidTable dids;
    private final Map<String, UdsClient> ecus = new LinkedHashMap<>();
    private final List<IsoTpTransport> transports = new ArrayList<>();
    /** ECU -> code -> status of the DTCs reported so far. */
    private final Map<String, Map<Integer, Integer>> known = new ConcurrentHashMap<>();
    private final List<Runnable> unrecorded = new ArrayList<>();
    private final Map<String, Integer> streams = new ConcurrentHashMap<>();
    private final AtomicLong obdRounds = new AtomicLong(), obdValues = new AtomicLong(), dtcRounds = new AtomicLong(),
            dtcEvents = new AtomicLong(), failures = new AtomicLong();
    private volatile String lastError;
    private ObdClient obd;
    private BusPipeline pipeline;
    private ScheduledExecutorService poller;
    private final CanFrame frame = new CanFrame();

    public DiagPart(VgateConfig config, Clock clock, Function<String, VirtualBus> virtualBus, Supplier<BusPipeline> obdPipeline,
                    Supplier<GroupCommitter> committer) {
        this.config = config;
        this.cfg = config.diag();
        this.clock = clock;
        this.virtualBus = virtualBus;
        this.obdPipeline = obdPipeline;
        this.committer = committer;
        this.stateFile = config.stateDir().resolve("diag").resolve("dtcs.txt");
        this.dids = DidTable.standard();
        for (DiagConfig.DidDef d : cfg.dids()) dids.add(did(d));
    }

    /** A configured DID as the UDS client's definition. */
    public static Did did(DiagConfig.DidDef d) {
        Did.Type type;
        try {
            type = Did.Type.valueOf(d.type().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("type must be ascii, hex or unsigned, got '" + d.type() + "'");
        }
        return new Did(d.id(), d.name(), d.length(), type, d.factor(), d.offset(), d.unit());
    }

    /** The ISO-TP options of the configuration. */
    public static IsoTpOptions options(DiagConfig cfg) {
        DiagConfig.IsoTp t = cfg.isotp();
        IsoTpOptions o = IsoTpOptions.DEFAULT.withPadding(t.padding()).withFlowControl(t.blockSize(), t.stMin());
        return t.fd() ? o.withFd(t.txDataLength()) : o;
    }

    @Override public String name() { return "diag"; }

    @Override public synchronized void start() throws Exception {
        IsoTpNetwork net = network();
        IsoTpOptions opts = options(cfg);
        UdsClient.Timing timing = UdsClient.Timing.DEFAULT.withP2(cfg.p2(), cfg.p2Star());
        try {
            for (DiagConfig.Ecu e : cfg.ecus()) {
                IsoTpTransport t = net.open(IsoTpAddress.of(e.requestId(), e.responseId()), opts);
                transports.add(t);
                ecus.put(e.name(), new UdsClient(t, dids, timing));
            }
            if (cfg.obd() != null) {
                obd = new ObdClient(net, opts, cfg.p2(), Duration.ofMillis(50));
                pipeline = obdPipeline.get();
            }
        } catch (IsoTpException e) {
            closeClients();
            throw e;
        }
        loadKnown();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "diag-poll");
            t.setDaemon(true);
            return t;
        });
        if (obd != null) {
            long ms = cfg.obd().interval().toMillis();
            poller.scheduleWithFixedDelay(this::pollObd, 0, ms, TimeUnit.MILLISECONDS);
        }
        if (cfg.dtc() != null) {
            long ms = cfg.dtc().interval().toMillis();
            // the first read one interval after the start: the buses and the ECUs are up by then
            poller.scheduleWithFixedDelay(this::pollDtcs, ms, ms, TimeUnit.MILLISECONDS);
        }
        Logger.info("diag: {} ECU(s) on bus {} ({}), OBD PIDs {}, DTC poll {}", ecus.size(), cfg.bus(), net.name(),
                cfg.obd() == null ? "none" : cfg.obd().pids().stream().map(p -> String.format("%02X", p)).toList(),
                cfg.dtc() == null ? "off" : cfg.dtc().interval());
    }

    private IsoTpNetwork network() throws Exception {
        BusConfig b = config.buses().stream().filter(x -> x.name().equals(cfg.bus())).findFirst()
                .orElseThrow(() -> new IllegalStateException("diag.bus " + cfg.bus() + " is not configured"));
        if (b.kind() == BusKind.SOCKETCAN) return new KernelIsoTpNetwork(b.iface());
        VirtualBus vb = virtualBus.apply(b.name());
        if (vb == null) throw new IllegalStateException("virtual bus " + b.name() + " is not up yet");
        return ChannelIsoTpNetwork.on(vb);
    }

    // ------------------------------------------------------------------ OBD-II

    void pollObd() {
        try {
            int[] pids = cfg.obd().pids().stream().mapToInt(Integer::intValue).toArray();
            long n = 0;
            for (int pid : pids) {
                // the first (lowest id) ECU's answer: the engine ECU on a usual car
                List<ObdClient.PidValue> values = obd.read(pid);
                if (values.isEmpty()) continue;
                ObdClient.PidValue v = values.get(0);
                frame.id(pid).flags(0).data(v.data()).timestampNanos(clock.millis() * 1_000_000L).iface(cfg.obd().busName());
                pipeline.onFrame(frame);
                n++;
            }
            obdRounds.incrementAndGet();
            obdValues.addAndGet(n);
        } catch (IsoTpException | RuntimeException e) {
            failed("OBD poll", e);
        }
    }

    // ------------------------------------------------------------------ DTCs

    void pollDtcs() {
        retryUnrecorded();
        for (String ecu : ecus.keySet()) {
            try {
                readAndTrack(ecu);
            } catch (UdsException | RuntimeException e) {
                failed("DTC read of " + ecu, e);
            }
        }
        dtcRounds.incrementAndGet();
    }

    /** Reads one ECU's DTCs, records what changed since the last read; returns the DTCs. */
    private synchronized List<Dtc> readAndTrack(String ecu) throws UdsException {
        UdsClient uds = ecus.get(ecu);
        List<Dtc> now = uds.readDtcs(cfg.dtc() == null ? 0xFF : cfg.dtc().mask());
        Map<Integer, Integer> before = known.computeIfAbsent(ecu, k -> new TreeMap<>());
        Map<Integer, Integer> after = new TreeMap<>();
        long tUs = clock.millis() * 1000L;
        for (Dtc d : now) {
            after.put(d.code(), d.status());
            Integer old = before.get(d.code());
            if (old == null) {
                List<UdsClient.Snapshot> freeze = List.of();
                if (cfg.dtc() == null || cfg.dtc().freezeFrame()) {
                    try {
                        freeze = uds.readSnapshots(d.code(), 0xFF);
                    } catch (UdsException e) {
                        Logger.info("diag: no freeze frame for {} on {}: {}", d.text(), ecu, e.getMessage());
                    }
                }
                List<UdsClient.Snapshot> ff = freeze;
                Logger.warn("diag: new DTC on {}: {}{}", ecu, d.line(), ff.isEmpty() ? "" : " freeze frame " + freezeText(ff));
                record(() -> recordDtc(ecu, d, false, ff, tUs));
            }
        }
        for (Map.Entry<Integer, Integer> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                Dtc d = new Dtc(e.getKey(), e.getValue());
                Logger.info("diag: DTC {} on {} cleared", d.text(), ecu);
                record(() -> recordDtc(ecu, d, true, List.of(), tUs));
            }
        }
        known.put(ecu, after);
        saveKnown();
        return now;
    }

    static String freezeText(List<UdsClient.Snapshot> ff) {
        StringBuilder sb = new StringBuilder();
        for (UdsClient.Snapshot s : ff) {
            sb.append(sb.length() == 0 ? "" : " ").append('#').append(s.record());
            for (UdsClient.DidValue v : s.values()) sb.append(' ').append(v.text());
        }
        return sb.toString();
    }

    /** Runs a recording now, or keeps it for the next round while the telemetry buffer is down. */
    private void record(Runnable r) {
        try {
            r.run();
            dtcEvents.incrementAndGet();
        } catch (IllegalStateException e) {
            Logger.warn("diag: DTC event not stored yet ({}); retried next round", e.getMessage());
            synchronized (unrecorded) {
                unrecorded.add(r);
            }
        }
    }

    private void retryUnrecorded() {
        List<Runnable> todo;
        synchronized (unrecorded) {
            todo = new ArrayList<>(unrecorded);
            unrecorded.clear();
        }
        todo.forEach(this::record);
    }

    private void recordDtc(String ecu, Dtc d, boolean cleared, List<UdsClient.Snapshot> freeze, long tUs) {
        GroupCommitter c = committer.get();
        if (c == null) throw new IllegalStateException("the telemetry buffer is not up");
        try {
            int id = stream(c, new StreamInfo("diag", "dtc/" + ecu, d.text(), -1, d.code(), ValueEncoding.DELTA_ZIGZAG, 1, 0));
            c.addAlert(id, tUs, cleared ? -1 : d.status(), clock.millis());
            for (UdsClient.Snapshot s : freeze) {
                for (UdsClient.DidValue v : s.values()) {
                    Did did = v.did();
                    boolean scaled = did.type() == Did.Type.UNSIGNED;
                    int sid = stream(c, new StreamInfo("diag", "freeze/" + ecu + "/" + d.text(), "r" + s.record() + "." + did.name(),
                            -1, did.id(), ValueEncoding.DELTA_ZIGZAG, scaled ? did.factor() : 1, scaled ? did.offset() : 0));
                    c.addAlert(sid, tUs, raw(v.value()), clock.millis());
                }
            }
        } catch (StoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private int stream(GroupCommitter c, StreamInfo info) throws StoreException {
        String key = info.message() + "/" + info.signal();
        Integer id = streams.get(key);
        if (id == null) {
            id = c.store().streamId(info);
            streams.put(key, id);
        }
        return id;
    }

    private static long raw(byte[] b) {
        long v = 0;
        for (int i = 0; i < Math.min(8, b.length); i++) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    // ------------------------------------------------------------------ on demand (commands, status)

    /** Reads the DTCs of the named ECUs (empty: all); tracks changes like the scheduled read. ECU -> workshop lines. */
    public Map<String, List<String>> readDtcs(List<String> names) throws UdsException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String ecu : select(names)) {
            List<String> lines = new ArrayList<>();
            for (Dtc d : readAndTrack(ecu)) lines.add(d.line());
            out.put(ecu, lines);
        }
        return out;
    }

    /** Clears all DTCs of the named ECUs (empty: all), then reads them again (so clears are reported). */
    public Map<String, List<String>> clearDtcs(List<String> names) throws UdsException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String ecu : select(names)) {
            ecus.get(ecu).clearDtcs(0xFFFFFF);
            List<String> lines = new ArrayList<>();
            for (Dtc d : readAndTrack(ecu)) lines.add(d.line());
            out.put(ecu, lines);
        }
        return out;
    }

    private List<String> select(List<String> names) {
        if (names == null || names.isEmpty()) return new ArrayList<>(ecus.keySet());
        for (String n : names) if (!ecus.containsKey(n)) throw new IllegalArgumentException("no ECU named '" + n + "' (configured: " + ecus.keySet() + ")");
        return names;
    }

    public List<String> ecuNames() { return new ArrayList<>(ecus.keySet()); }

    /** read-dtcs and clear-dtcs commands go to this part. */
    @Override public dev.vgate.command.CommandStack.Sinks wire(dev.vgate.command.CommandStack.Sinks sinks) { return sinks.withDiag(commandSink()); }

    /** read-dtcs and clear-dtcs act here; failures become the command's FAILED reason. */
    public dev.vgate.command.exec.DtcService commandSink() {
        return new dev.vgate.command.exec.DtcService() {
            @Override public Map<String, List<String>> read(List<String> names) throws dev.vgate.command.exec.CommandFailedException {
                try {
                    return readDtcs(names);
                } catch (UdsException e) {
                    throw failure(e);
                } catch (IllegalArgumentException e) {
                    throw new dev.vgate.command.exec.CommandFailedException("INVALID_PARAMS", e.getMessage());
                }
            }

            @Override public Map<String, List<String>> clear(List<String> names) throws dev.vgate.command.exec.CommandFailedException {
                try {
                    return clearDtcs(names);
                } catch (UdsException e) {
                    throw failure(e);
                } catch (IllegalArgumentException e) {
                    throw new dev.vgate.command.exec.CommandFailedException("INVALID_PARAMS", e.getMessage());
                }
            }
        };
    }

    private static dev.vgate.command.exec.CommandFailedException failure(UdsException e) {
        String code = switch (e.kind()) {
            case NEGATIVE_RESPONSE -> "NEGATIVE_RESPONSE";
            case NO_RESPONSE -> "NO_RESPONSE";
            default -> "DIAG_FAILED";
        };
        return new dev.vgate.command.exec.CommandFailedException(code, e.getMessage(), e);
    }

    private void failed(String what, Exception e) {
        failures.incrementAndGet();
        String msg = what + ": " + e.getMessage();
        if (!msg.equals(lastError)) Logger.warn("diag: {}", msg); // once per distinct failure, not every round
        lastError = msg;
    }

    // ------------------------------------------------------------------ reported DTCs across restarts

    private void loadKnown() {
        if (!Files.exists(stateFile)) return;
        try {
            for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split(" ");
                if (f.length != 3) continue;
                known.computeIfAbsent(f[0], k -> new TreeMap<>()).put(Integer.parseInt(f[1], 16), Integer.parseInt(f[2], 16));
            }
        } catch (IOException | NumberFormatException e) {
            Logger.warn("diag: cannot read {} ({}): every present DTC counts as new", stateFile, e.getMessage());
        }
    }

    private void saveKnown() {
        StringBuilder sb = new StringBuilder();
        known.forEach((ecu, m) -> m.forEach((code, status) -> sb.append(String.format(Locale.ROOT, "%s %06X %02X%n", ecu, code, status))));
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling("dtcs.txt.tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Logger.warn("diag: cannot write {}: {}", stateFile, e.getMessage());
        }
    }

    @Override public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeClients();
    }

    private void closeClients() {
        ecus.values().forEach(UdsClient::close);
        ecus.clear();
        transports.forEach(IsoTpTransport::close);
        transports.clear();
        if (obd != null) obd.close();
        obd = null;
    }

    @Override public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ecus", ecus.size());
        m.put("obd_rounds", obdRounds.get());
        m.put("obd_values", obdValues.get());
        m.put("dtc_rounds", dtcRounds.get());
        m.put("dtc_events", dtcEvents.get());
        m.put("failures", failures.get());
        int active = 0;
        for (Map<Integer, Integer> k : known.values()) active += k.size();
        m.put("active_dtcs", active);
        if (lastError != null) m.put("last_error", lastError);
        return m;
    }
}
