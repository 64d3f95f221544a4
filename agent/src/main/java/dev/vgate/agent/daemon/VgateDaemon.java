package dev.vgate.agent.daemon;

import dev.vgate.agent.command.CommandEndpoint;
import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyException;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.command.CommandException;
import dev.vgate.command.CommandStack;
import dev.vgate.command.exec.ConfigUpdateSink.Kind;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.ota.OtaListener;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustStore;
import org.tinylog.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * vgate as one process: builds every part from a validated {@link VgateConfig} and runs them under a
 * {@link Supervisor}. Start order: MQTT link (connects in the background), telemetry buffer and uploader,
 * edge rules, the buses (intake last, so every consumer is ready before the first frame), diagnostics,
 * commands, OTA, status. {@link #stop} runs it backwards: intake stops first, the buffer's open window is
 * committed, the MQTT session is closed cleanly.
 */
public final class VgateDaemon implements AutoCloseable {
    private final VgateConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final Supervisor supervisor = new Supervisor();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "daemon-timers");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<DbcDatabase>> busDbcs = new LinkedHashMap<>();
    private final Buses buses;
    private final LastKnownValues lastValues;
    private final FaultCodes faults = new FaultCodes();
    private final LiveConfig liveConfig; // live updates (rules, collection policy, DBC set) from signed commands
    private final PahoMqttLink mqtt;
    private final TrustStore trust;     // null when neither commands nor OTA are configured
    private final TelemetryPart telemetry;
    // the optional parts: each is built once, the real part or its stand-in (EdgeRules.NONE, OptionalPart.absent)
    private final EdgeRules rules;
    private final OptionalPart ota;
    private final OptionalPart diag;
    private final Service commands;
    private volatile boolean stopped;

    /**
     * What an embedding program (the demo, tests) may hand in: in-process buses for {@code virtual} bus configs
     * (by bus name; others are created) and a listener for OTA progress and outcomes.
     */
    public record Hooks(Map<String, VirtualBus> virtualBuses, OtaListener otaListener) {
        public static final Hooks NONE = new Hooks(Map.of(), OtaListener.NONE);
    }

    public VgateDaemon(VgateConfig config) throws DaemonException { this(config, Clock.systemUTC()); }

    public VgateDaemon(VgateConfig config, Clock clock) throws DaemonException { this(config, clock, Hooks.NONE); }

    public VgateDaemon(VgateConfig config, Clock clock, Hooks hooks) throws DaemonException {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.buses = new Buses(config.buses(), hooks.virtualBuses());
        try {
            this.mqtt = new PahoMqttLink(config.mqtt().toSettings());
        } catch (MqttLinkException e) {
            throw new DaemonException("mqtt: " + e.getMessage(), e);
        }
        // Every input file loads here, before any part starts, exactly as `vgate config check` loads them: a DBC,
        // rules file, policy or trust file that does not load is a configuration error no retry can mend, and a
        // gateway must not run on without the safety rules it was given.
        DaemonInputs inputs = DaemonInputs.load(config, w -> Logger.warn("{}", w));
        busDbcs.putAll(inputs.busDbcs());
        this.liveConfig = new LiveConfig(config.stateDir(), clock);
        DbcSetUpdater.boot(liveConfig, busDbcs); // the last DBC-set update's buses replace the configuration's
        this.lastValues = new LastKnownValues(inputs.all());
        CollectionPolicy policy = bootPolicy(inputs.policy());
        try { // one trust store for commands and update manifests: a key-set-update reaches both at once
            this.trust = inputs.trust() == null ? null : DeviceTrust.open(config, inputs.trust(), clock);
        } catch (TrustException e) {
            throw new DaemonException("trust: " + e.getMessage(), e);
        }
        RuleAlertRecorder alertRecorder = new RuleAlertRecorder(null, clock); // rules run even while the buffer is down
        this.telemetry = new TelemetryPart(config, clock, mqtt, policy, alertRecorder, buses::pipelines);
        this.rules = rulesPart(inputs, alertRecorder);
        this.ota = config.ota() == null ? OptionalPart.absent("ota")
                : new OtaPart(config, trust, clock, mqtt, supervisor::allHealthy, hooks.otaListener());
        this.diag = config.diag() == null ? OptionalPart.absent("diag")
                : new DiagPart(config, clock, buses::virtual, () -> newPipeline(config.diag().obd().busName()), telemetry::committer);
        this.commands = commandEndpoint();
        supervisor.add(new MqttPart(mqtt, config.mqtt().url()));
        supervisor.add(telemetry);
        supervisor.add(rules);
        for (BusConfig b : config.buses()) supervisor.add(new BusPart(b, buses, this::newPipeline, () -> stopped));
        supervisor.add(diag); // after the buses: a virtual diag bus exists by then
        supervisor.add(commands);
        supervisor.add(ota); // last but status: its boot-verify checks that the rest is up
        supervisor.add(new StatusPart(config, clock, mqtt, timers, this::status, () -> stopped));
        liveConfig.register(Kind.COLLECTION_POLICY, new PolicyUpdater(telemetry::collector, () -> busDbcs, rules::active));
        liveConfig.register(Kind.DBC_SET, new DbcSetUpdater(() -> busDbcs, rules::active, telemetry::policy, this::swapDbcSet,
                config.rulesMemory()));
    }

    /** The configured policy, or the last good live collection-policy update. */
    private CollectionPolicy bootPolicy(CollectionPolicy configured) throws DaemonException {
        if (liveConfig.persisted(Kind.COLLECTION_POLICY) == null) return configured;
        try {
            return PolicyUpdater.boot(liveConfig, config.telemetry().policy());
        } catch (PolicyException e) {
            throw new DaemonException("telemetry.policy: " + e.getMessage(), e);
        }
    }

    /** The rules the configuration names (or the last good live update, against the DBCs in force); NONE without rules. */
    private EdgeRules rulesPart(DaemonInputs inputs, RuleAlertRecorder alertRecorder) throws DaemonException {
        boolean live = liveConfig.persisted(Kind.DBC_SET) != null || liveConfig.persisted(Kind.RULES) != null;
        MultiBusDbc dbc = inputs.rulesDbc();
        RuleSet set = inputs.ruleSet();
        if (live && (config.rules() != null || liveConfig.persisted(Kind.RULES) != null)) {
            try {
                dbc = MultiBusDbc.of(busDbcs);
                set = RulesUpdater.boot(liveConfig, config.rules(), dbc, config.rulesMemory());
            } catch (RulesException | RuntimeException e) {
                throw new DaemonException(ConfiguredRules.problem(config.rules(), e), e);
            }
        }
        if (set == null) return EdgeRules.NONE;
        return new RulesPart(set, dbc, config.rules(), config.rulesMemory(), new RuleCounterFile(config.stateDir()), alertRecorder,
                faults, updater -> liveConfig.register(Kind.RULES, updater), telemetry.captures(), name -> telemetry.policy().capture(name) != null,
                buses.ruleSender(), buses::frameClockNanos);
    }

    /** The signed-command listener, whose sinks reach every part (a part left out keeps the refusal); absent without commands. */
    private Service commandEndpoint() throws DaemonException {
        if (config.commands() == null) return OptionalPart.absent("commands");
        CommandStack.Sinks sinks = CommandStack.Sinks.refusing().withSignals(lastValues).withCan(buses::sendCommandFrame).withConfig(liveConfig);
        sinks = diag.wire(ota.wire(sinks));
        try {
            return CommandEndpoint.fromConfig(config, trust, mqtt, sinks, clock);
        } catch (CommandException e) {
            throw new DaemonException("commands: " + e.getMessage(), e);
        }
    }

    /** A bus's pipeline: its DBCs' decoders, the telemetry collector, the last-known values and the rules. */
    private BusPipeline newPipeline(String busName) {
        BusPipeline pipeline = new BusPipeline(busName, busDbcs.get(busName), lastValues, rules.binding());
        pipeline.attachTelemetry(telemetry.taps(busName)); // OFF while telemetry is down; it rewires this pipeline when it comes up
        buses.pipelineSwitched(busName, pipeline);
        return pipeline;
    }

    /**
     * Activates a validated DBC set: the rules' new engine (counters carried over) behind a new evaluator, then
     * every bus's new pipeline, which each bus takes up at its next frame. Until a bus switches, its frames still
     * go through its old pipeline and the old engine, whose index space they match.
     */
    private synchronized void swapDbcSet(DbcSetUpdater.Prepared p) {
        busDbcs.putAll(p.busDbcs());
        Runnable retireOldRules = rules.swap(p.rulesDbc(), p.rules());
        for (BusConfig b : config.buses()) {
            PipelineSwitch sw = buses.pipelineSwitch(b.name());
            if (sw == null) continue; // not open yet: it starts with the new DBCs
            BusPipeline next = new BusPipeline(b.name(), busDbcs.get(b.name()), lastValues, rules.binding());
            next.attachTelemetry(telemetry.taps(b.name())); // the same collectors: the ring and a capture go on
            sw.switchTo(next);
        }
        retireOldRules.run(); // after every bus has switched: frames still in the old engine finish
        Logger.info("DBC set active: {}", busDbcs.keySet());
    }

    /** Starts every part; parts that cannot start yet are retried in the background. */
    public void start() throws InterruptedException {
        Logger.info("vgate starting for vehicle {} with {} bus(es)", config.vehicleId(), config.buses().size());
        supervisor.startAll();
    }

    /** Stops intake, commits the open telemetry window, closes the MQTT session; bounded. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        Logger.info("vgate stopping");
        List<String> overran = supervisor.stopAll(Duration.ofSeconds(5));
        timers.shutdownNow();
        if (!overran.isEmpty()) Logger.warn("did not stop in time: {}", overran);
        Logger.info("vgate stopped");
    }

    @Override public void close() { stop(); }

    /** Whether the daemon still works through its tasks (the main loop pings systemd's watchdog on it). */
    public boolean alive(Duration bound) throws InterruptedException {
        return !stopped && supervisor.responsive(bound);
    }

    public Supervisor supervisor() { return supervisor; }

    public LastKnownValues lastValues() { return lastValues; }

    /** The in-process bus of a {@code virtual} bus config (demo and tests inject frames here). */
    public VirtualBus virtualBus(String busName) { return buses.virtual(busName); }

    public BusPipeline pipeline(String busName) { return buses.pipeline(busName); }

    public MqttLink mqtt() { return mqtt; }

    /** The OTA client once started (null without an {@code ota} section or before its start). */
    public dev.vgate.ota.OtaService otaService() { return ota instanceof OtaPart p ? p.service() : null; }

    /** The device's trust store, shared by commands and OTA (null when neither is configured). */
    public TrustStore trust() { return trust; }

    /** The command listener (null without a {@code commands} section). */
    public CommandEndpoint commands() { return commands instanceof CommandEndpoint c ? c : null; }

    /** Diagnostics (null without a {@code diag} section). */
    public DiagPart diag() { return diag instanceof DiagPart d ? d : null; }

    /** The full status report: services, buses, buffer. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vehicle", config.vehicleId());
        m.put("time", clock.instant().toString());
        m.put("uptime_s", Duration.between(startedAt, clock.instant()).toSeconds());
        m.put("running", !stopped);
        m.put("healthy", !stopped && supervisor.allHealthy());
        m.put("services", supervisor.status());
        List<String> activeFaults = new ArrayList<>();
        faults.active().forEach(f -> activeFaults.add(f.code()));
        m.put("faults", activeFaults);
        m.put("jvm", JvmStats.snapshot());
        m.put("config", liveConfig.status());
        return m;
    }
}
