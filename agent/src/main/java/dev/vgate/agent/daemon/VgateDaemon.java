package dev.vgate.agent.daemon;

import dev.vgate.agent.command.CommandEndpoint;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustStore;
import dev.vgate.command.CommandException;
import dev.vgate.command.CommandStack;
import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.BusKind;
import dev.vgate.agent.config.IdRange;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanCounters;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.CanIdFilter;
import dev.vgate.canbus.CandumpReader;
import dev.vgate.canbus.LogReplayer;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.mqtt.MqttLink;
import dev.vgate.mqtt.MqttLinkException;
import dev.vgate.ota.OtaListener;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.CanFrameSender;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RepeatScheduler;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.rules.TickingEvaluator;
import org.tinylog.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * vgate as one process: builds every part from a validated {@link VgateConfig} and runs them under a
 * {@link Supervisor}. Start order: MQTT link (connects in the background), telemetry buffer and uploader,
 * edge rules, the buses (intake last, so every consumer is ready before the first frame), status.
 * {@link #stop} runs it backwards: intake stops first, the buffer's open window is committed, the MQTT
 * session is closed cleanly.
 */
public final class VgateDaemon implements AutoCloseable {
    private final VgateConfig config;
    private final Clock clock;
    private final Supervisor supervisor;
    private final Map<String, VirtualBus> virtualBuses = new ConcurrentHashMap<>();
    private final Map<String, List<DbcDatabase>> busDbcs = new LinkedHashMap<>();
    private final Map<String, CanChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, BusPipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, PipelineSwitch> switches = new ConcurrentHashMap<>();
    private final LastKnownValues lastValues;
    private final MultiBusDbc rulesDbc;   // null without rules
    private final RuleSet ruleSet;        // null without rules
    private final Instant startedAt;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "daemon-timers");
        t.setDaemon(true);
        return t;
    });

    private final PahoMqttLink mqtt;
    private final TrustStore trust;     // null when neither commands nor OTA are configured
    private final OtaPart ota;
    private final DiagPart diag;
    private final CommandEndpoint commands;
    /** How often the rule engine is ticked while the buses are quiet (as {@code vgate rules run}). */
    static final Duration RULES_TICK = Duration.ofMillis(20);
    private volatile RuleEngine ruleEngine; // written last by the rules service: its non-null publishes the two below
    private volatile MultiBusDbc ruleDbc;
    private volatile TickingEvaluator ruleEvaluator;
    private ScheduledExecutorService ruleTicks;
    private ActionDispatcher actions;
    private final RuleAlertRecorder alertRecorder;
    private final FaultCodes faults = new FaultCodes();
    private final TelemetryPart telemetry;
    private volatile boolean stopped;
    /** Live configuration updates (rules, collection policy, DBC set) from signed commands; the versions booted. */
    private final LiveConfig liveConfig;
    private final RuleCounterFile counterFile;

    /**
     * What an embedding program (the demo, tests) may hand in: in-process buses for {@code virtual} bus configs
     * (by bus name; others are created) and a listener for OTA progress and outcomes.
     */
    public record Hooks(Map<String, VirtualBus> virtualBuses, OtaListener otaListener) {
        public static final Hooks NONE = new Hooks(Map.of(), OtaListener.NONE);
    }

    public VgateDaemon(VgateConfig config, Clock clock) throws DaemonException { this(config, clock, Hooks.NONE); }

    public VgateDaemon(VgateConfig config, Clock clock, Hooks hooks) throws DaemonException {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.supervisor = new Supervisor();
        virtualBuses.putAll(hooks.virtualBuses());
        this.alertRecorder = new RuleAlertRecorder(null, clock); // rules run even while the buffer is down
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
        // the last good live updates (signed config commands) replace what the configuration names
        DbcSetUpdater.boot(liveConfig, busDbcs); // the last DBC-set update's buses replace the configuration's
        this.lastValues = new LastKnownValues(inputs.all());
        this.counterFile = new RuleCounterFile(config.stateDir());
        boolean liveDbcs = liveConfig.persisted(dev.vgate.command.exec.ConfigUpdateSink.Kind.DBC_SET) != null;
        boolean liveRules = liveConfig.persisted(dev.vgate.command.exec.ConfigUpdateSink.Kind.RULES) != null;
        if (!liveDbcs && !liveRules) {
            this.rulesDbc = inputs.rulesDbc();
            this.ruleSet = inputs.ruleSet();
        } else if (config.rules() != null || liveRules) {
            try {
                this.rulesDbc = MultiBusDbc.of(busDbcs);
                this.ruleSet = RulesUpdater.boot(liveConfig, config.rules(), rulesDbc, config.rulesMemory());
            } catch (RulesException | RuntimeException e) {
                throw new DaemonException("rules " + config.rules() + ": " + e.getMessage(), e);
            }
        } else {
            this.rulesDbc = null;
            this.ruleSet = null;
        }
        CollectionPolicy policy = inputs.policy();
        if (liveConfig.persisted(dev.vgate.command.exec.ConfigUpdateSink.Kind.COLLECTION_POLICY) != null) {
            try {
                policy = PolicyUpdater.boot(liveConfig, config.telemetry().policy());
            } catch (dev.vgate.buffer.policy.PolicyException e) {
                throw new DaemonException("telemetry.policy: " + e.getMessage(), e);
            }
        }
        // one trust store for commands and update manifests: a key-set-update reaches both at once
        try {
            this.trust = inputs.trust() == null ? null : DeviceTrust.open(config, inputs.trust(), clock);
        } catch (TrustException e) {
            throw new DaemonException("trust: " + e.getMessage(), e);
        }
        this.telemetry = new TelemetryPart(config, clock, mqtt, policy, alertRecorder, pipelines::values);
        this.ota = config.ota() == null ? null : new OtaPart(config, trust, clock, mqtt, supervisor::allHealthy, hooks.otaListener());
        this.diag = config.diag() == null ? null : new DiagPart(config, clock, virtualBuses::get,
                () -> newPipeline(config.diag().obd().busName()), telemetry::committer);
        CommandStack.Sinks sinks = CommandStack.Sinks.refusing().withSignals(lastValues).withCan(this::sendCommandFrame).withConfig(liveConfig);
        if (ota != null) sinks = sinks.withOta(ota.starter());
        if (diag != null) sinks = sinks.withDiag(diag.commandSink());
        try {
            this.commands = config.commands() == null ? null : CommandEndpoint.fromConfig(config, trust, mqtt, sinks, clock);
        } catch (CommandException e) {
            throw new DaemonException("commands: " + e.getMessage(), e);
        }
        supervisor.add(new MqttService());
        supervisor.add(telemetry);
        if (ruleSet != null) supervisor.add(new RulesService());
        for (BusConfig b : config.buses()) supervisor.add(new BusService(b));
        if (diag != null) supervisor.add(diag); // after the buses: a virtual diag bus exists by then
        if (commands != null) supervisor.add(commands);
        if (ota != null) supervisor.add(ota); // last but status: its boot-verify checks that the rest is up
        supervisor.add(new StatusPart(config, clock, mqtt, timers, this::status, () -> stopped));
        liveConfig.register(dev.vgate.command.exec.ConfigUpdateSink.Kind.COLLECTION_POLICY, new PolicyUpdater(telemetry::collector, () -> busDbcs,
                () -> ruleEvaluator == null ? null : ruleEvaluator.evaluator().engine().ruleSet()));
        liveConfig.register(dev.vgate.command.exec.ConfigUpdateSink.Kind.DBC_SET, new DbcSetUpdater(() -> busDbcs,
                () -> ruleEvaluator == null ? null : ruleEvaluator.evaluator().engine().ruleSet(),
                telemetry::policy, this::swapDbcSet, config.rulesMemory()));
    }

    /**
     * Activates a validated DBC set: the rules' new engine (counters carried over) behind a new evaluator, then
     * every bus's new pipeline, which each bus takes up at its next frame. Until a bus switches, its frames still
     * go through its old pipeline and the old engine, whose index space they match.
     */
    private synchronized void swapDbcSet(DbcSetUpdater.Prepared p) {
        busDbcs.putAll(p.busDbcs());
        TickingEvaluator oldRules = ruleEvaluator;
        if (p.rules() != null && oldRules != null) {
            RuleEngine engine = new RuleEngine(p.rules());
            engine.restoreCounters(oldRules.locked(() -> oldRules.evaluator().engine().counterStates()));
            ruleDbc = p.rulesDbc();
            ruleEvaluator = new TickingEvaluator(new FrameEvaluator(engine, actions), ruleTicks, RULES_TICK, this::frameClockNanos);
            ruleEngine = engine;
        }
        for (BusConfig b : config.buses()) {
            PipelineSwitch sw = switches.get(b.name());
            if (sw == null) continue; // not open yet: it starts with the new DBCs
            List<DbcDatabase> dbs = busDbcs.get(b.name());
            BusPipeline.RulesBinding rb = ruleEvaluator == null ? null : new BusPipeline.RulesBinding(ruleDbc, ruleEvaluator);
            BusPipeline next = new BusPipeline(b.name(), dbs, lastValues, rb);
            next.attachTelemetry(telemetry.taps(b.name())); // the same collectors: the ring and a capture go on
            sw.switchTo(next);
        }
        if (oldRules != null && oldRules != ruleEvaluator) oldRules.close(); // its ticks; frames still in it finish
        Logger.info("DBC set active: {}", busDbcs.keySet());
    }

    /**
     * The clock of the frames' timestamps, which the rule engine's timer tick must follow (the engine's time
     * is the frames' time, and a tick ahead of that clock would make the next frames count as late).
     * SocketCAN frames carry the kernel's receive time, epoch nanoseconds. Virtual buses stamp every frame
     * with their own clock when it is delivered: epoch time (millisecond resolution) for the ones the daemon
     * creates, and so for replay buses too (the replayer sends the log's frames through a virtual bus, which
     * re-stamps them with the time of delivery, not the log's time); a bus handed in through {@link Hooks}
     * may run on its own clock (the demo's trace time). With several buses the tick takes the earliest of
     * their clocks, so it never runs ahead of any bus; buses whose clocks disagree cannot share one engine
     * time anyway. Before the first bus is open there is no clock: Long.MIN_VALUE (the tick does nothing).
     */
    private long frameClockNanos() {
        long min = Long.MAX_VALUE;
        for (BusConfig b : config.buses()) {
            long t;
            if (b.kind() == BusKind.SOCKETCAN) {
                t = EPOCH.getAsLong();
            } else {
                VirtualBus vb = virtualBuses.get(b.name());
                if (vb == null) continue;
                t = vb.clockNanos().getAsLong();
            }
            min = Math.min(min, t);
        }
        return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
    }

    private static final java.util.function.LongSupplier EPOCH = TickingEvaluator.epochClock();

    /** CAN commands go out on the first bus vgate can transmit on (replay buses only receive). */
    private void sendCommandFrame(CanFrame frame) throws IOException {
        for (BusConfig b : config.buses()) {
            if (b.kind() == BusKind.REPLAY) continue;
            CanChannel ch = channels.get(b.name());
            if (ch == null) throw new IOException("bus " + b.name() + " is not open");
            try {
                ch.send(frame);
                return;
            } catch (dev.vgate.canbus.CanException e) {
                throw new IOException("bus " + b.name() + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("no bus vgate can transmit on (replay buses only receive)");
    }

    public VgateDaemon(VgateConfig config) throws DaemonException { this(config, Clock.systemUTC()); }

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
    public VirtualBus virtualBus(String busName) { return virtualBuses.get(busName); }

    public BusPipeline pipeline(String busName) { return pipelines.get(busName); }

    public MqttLink mqtt() { return mqtt; }

    /** The OTA client once started (null without an {@code ota} section or before its start). */
    public dev.vgate.ota.OtaService otaService() { return ota == null ? null : ota.service(); }

    /** The device's trust store, shared by commands and OTA (null when neither is configured). */
    public TrustStore trust() { return trust; }

    /** The command listener (null without a {@code commands} section). */
    public CommandEndpoint commands() { return commands; }

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

    // ---------------------------------------------------------------- services

    private final class MqttService implements Service {
        @Override public String name() { return "mqtt"; }

        private boolean started;

        @Override public void start() {
            if (!started) mqtt.start(); // connects in the background and keeps reconnecting
            started = true;
        }

        @Override public void stop() { mqtt.close(); }

        @Override public boolean healthy() { return mqtt.isConnected(); }

        @Override public Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connected", mqtt.isConnected());
            m.put("url", config.mqtt().url());
            return m;
        }
    }

    /**
     * One rule engine for every bus: signal names resolve against the DBCs of all buses ({@link MultiBusDbc}:
     * a name found on two buses must be qualified, else the load fails), every bus pipeline feeds it through
     * the {@link TickingEvaluator}'s lock, and a {@code can} action goes to the bus whose DBC defines its
     * message. A timer ticks the engine every {@link #RULES_TICK}, so a debounce or stale() ends on time
     * when the buses go quiet.
     */
    private final class RulesService implements Service {
        private ScheduledExecutorService repeats;
        private ScheduledExecutorService ticks;

        @Override public String name() { return "rules"; }

        @Override public void start() throws Exception {
            MultiBusDbc dbc = rulesDbc;
            RuleSet set = ruleSet;
            repeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rule-repeats");
                t.setDaemon(true);
                return t;
            });
            CollectionControl collection = (rule, policy, at, pre, post) -> {
                Collector c = telemetry.collector(); // the event capture (pre-trigger ring + full rate until 'post')
                if (c != null) c.trigger(rule, policy, at, pre, post);
                else Logger.warn("rule {}: no capture ({}), the telemetry buffer is not up", rule, policy);
            };
            String first = config.buses().get(0).name();
            CanFrameSender sender = new CanFrameSender() {
                @Override public void send(CanFrame frame) throws dev.vgate.canbus.CanException { send(first, frame); }

                @Override public void send(String bus, CanFrame frame) throws dev.vgate.canbus.CanException {
                    String name = bus == null ? first : bus;
                    CanChannel ch = channels.get(name);
                    if (ch == null) throw new dev.vgate.canbus.CanException("bus " + name + " is not open");
                    ch.send(frame);
                }
            };
            actions = new ActionDispatcher(sender, RepeatScheduler.of(repeats), alertRecorder, faults, collection);
            RuleEngine engine = new RuleEngine(set);
            engine.restoreCounters(counterFile.load());
            // its own thread: the daemon's timers also write status files and publish, which must not delay a tick
            ticks = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rule-ticks");
                t.setDaemon(true);
                return t;
            });
            ruleEvaluator = new TickingEvaluator(new FrameEvaluator(engine, actions), ticks, RULES_TICK, VgateDaemon.this::frameClockNanos);
            ruleDbc = dbc;
            ruleEngine = engine;
            ruleTicks = ticks;
            liveConfig.register(dev.vgate.command.exec.ConfigUpdateSink.Kind.RULES,
                    new RulesUpdater(() -> ruleDbc, () -> ruleEvaluator, actions, faults,
                            name -> telemetry.policy().capture(name) != null, config.rulesMemory()));
            ticks.scheduleWithFixedDelay(this::saveCounters, 1, 1, TimeUnit.SECONDS);
            Logger.info("{} edge rule(s) loaded from {} against the DBCs of bus(es) {}", set.rules().size(), config.rules(), dbc.buses());
        }

        /** The counters to disk when they changed (read under the evaluation lock, written outside it). */
        private void saveCounters() {
            counterFile.save(ruleEvaluator.locked(() -> ruleEvaluator.evaluator().engine().counterStates()));
        }

        @Override public void stop() {
            if (ruleEvaluator != null) {
                ruleEvaluator.close();
                saveCounters();
            }
            if (ticks != null) ticks.shutdownNow();
            if (repeats != null) repeats.shutdownNow();
        }

        @Override public Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (ruleEngine != null) m.putAll(ruleEvaluator.locked(() -> {
                Map<String, Object> rules = new LinkedHashMap<>();
                RuleEngine ruleEngine = ruleEvaluator.evaluator().engine(); // a live update may have replaced it
                for (RuleEngine.RuleCounters c : ruleEngine.counters()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("active", ruleEngine.isActive(c.rule()));
                    r.put("fired", c.fired());
                    r.put("cleared", c.cleared());
                    rules.put(c.rule(), r);
                }
                ruleEngine.counterStates().forEach((name, st) -> rules.put("counter:" + name, st.value()));
                return rules;
            }));
            if (actions != null) m.put("send_failures", actions.sendFailures());
            return m;
        }
    }

    /** A bus's pipeline: its DBCs' decoders, the telemetry collector, the last-known values and the rules. */
    private BusPipeline newPipeline(String busName) {
        BusPipeline.RulesBinding rb = ruleEvaluator == null ? null : new BusPipeline.RulesBinding(ruleDbc, ruleEvaluator);
        BusPipeline pipeline = new BusPipeline(busName, busDbcs.get(busName), lastValues, rb);
        pipeline.attachTelemetry(telemetry.taps(busName)); // OFF while telemetry is down; it rewires this pipeline when it comes up
        pipelines.put(busName, pipeline);
        return pipeline;
    }

    /** Diagnostics (null without a {@code diag} section). */
    public DiagPart diag() { return diag; }

    private final class BusService implements Service {
        private final BusConfig bus;
        private CanChannel channel;
        private Thread replayer;

        BusService(BusConfig bus) { this.bus = bus; }

        @Override public String name() { return "bus:" + bus.name(); }

        @Override public void start() throws Exception {
            BusPipeline pipeline = newPipeline(bus.name());
            PipelineSwitch handler = new PipelineSwitch(pipeline, p -> pipelines.put(bus.name(), p));
            switches.put(bus.name(), handler);
            channel = open();
            channel.start(handler);
            channels.put(bus.name(), channel);
        }

        private CanChannel open() throws Exception {
            switch (bus.kind()) {
                case SOCKETCAN:
                    return SocketCanChannel.open(bus.iface(), SocketCanConfig.defaults().withFilter(filter()));
                case VIRTUAL: {
                    VirtualBus vb = virtualBuses.computeIfAbsent(bus.name(), n -> new VirtualBus(bus.iface() == null ? n : bus.iface()));
                    return vb.newChannel();
                }
                default: {
                    VirtualBus vb = virtualBuses.computeIfAbsent(bus.name(), n -> new VirtualBus(n));
                    CanChannel in = vb.newChannel();
                    CanChannel feed = vb.newChannel();
                    replayer = new Thread(() -> replay(feed), "replay-" + bus.name());
                    replayer.setDaemon(true);
                    replayer.start();
                    return in;
                }
            }
        }

        private void replay(CanChannel feed) {
            LogReplayer r = new LogReplayer();
            do {
                try (CandumpReader log = CandumpReader.open(bus.log(), CandumpReader.BadLineListener.LOG)) {
                    LogReplayer.Result res = r.replay(log, feed, bus.iface(), bus.speed());
                    Logger.info("replay of {} done: {} frames", bus.log(), res.framesSent());
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    Logger.error("replay of {} failed: {}", bus.log(), e.getMessage());
                    return;
                }
            } while (bus.loop() && !stopped);
        }

        private CanIdFilter filter() {
            if (bus.idFilter().isEmpty()) return CanIdFilter.ALL;
            List<Integer> std = new ArrayList<>();
            List<Integer> ext = new ArrayList<>();
            for (IdRange r : bus.idFilter()) {
                for (long id = r.from(); id <= r.to() && std.size() + ext.size() < 4096; id++) (id <= 0x7FF ? std : ext).add((int) id);
            }
            return CanIdFilter.of(std, ext);
        }

        @Override public void stop() {
            if (replayer != null) replayer.interrupt();
            if (channel != null) channel.close();
            channels.remove(bus.name());
        }

        @Override public Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            BusPipeline p = pipelines.get(bus.name());
            if (p != null) m.putAll(p.status());
            if (channel != null) {
                CanCounters c = channel.counters();
                m.put("frames_in", c.framesIn());
                m.put("frames_out", c.framesOut());
                m.put("errors", c.errors());
            }
            return m;
        }
    }
}
