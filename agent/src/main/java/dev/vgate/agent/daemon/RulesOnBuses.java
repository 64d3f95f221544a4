package dev.vgate.agent.daemon;

import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RuleSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daemon's edge rules on the configured buses, without the rest of the daemon: what {@code vgate rules run
 * --config} runs. The same assembly as {@code vgate run}: the inputs {@link DaemonInputs} loaded (every bus with
 * its own DBCs, the rules loaded once against all of them), the same bus parts ({@link BusPart}: SocketCAN,
 * virtual, replay) and per-frame pipelines ({@link BusPipeline}), one {@link RulesPart} fed by every bus, ticked
 * on the buses' clock, its {@code can} actions sent on the bus whose DBC defines the message. What differs is
 * around the rules: alerts go to the caller's sink, counters start at 0 and are not saved, no signed update
 * replaces the rules, and a {@code collect} action triggers nothing (there is no telemetry buffer).
 */
public final class RulesOnBuses implements AutoCloseable {
    private final VgateConfig config;
    private final RuleSet ruleSet;
    private final FaultCodes faults = new FaultCodes();
    private final Buses buses;
    private final RulesPart rules;
    private final LastKnownValues values;
    private final Map<String, List<dev.vgate.dbc.DbcDatabase>> busDbcs;
    private final List<BusPart> parts = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param inputs  what {@link DaemonInputs#load} read from {@code config}
     * @param ruleSet the rules to run: the configuration's ({@code inputs.ruleSet()}), or another set loaded
     *                against {@code inputs}' DBCs ({@link MultiBusDbc#of})
     */
    public RulesOnBuses(VgateConfig config, DaemonInputs inputs, RuleSet ruleSet, AlertSink alerts) {
        this.config = config;
        this.ruleSet = ruleSet;
        this.busDbcs = inputs.busDbcs();
        this.buses = new Buses(config.buses(), Map.of());
        this.values = new LastKnownValues(inputs.all());
        this.rules = new RulesPart(ruleSet, MultiBusDbc.of(busDbcs), config.rules(), config.rulesMemory(), RulesPart.Counters.NONE,
                alerts, faults, updater -> { }, CollectionControl.NONE, policy -> true, buses.ruleSender(), buses::frameClockNanos);
        for (BusConfig b : config.buses()) parts.add(new BusPart(b, buses, this::newPipeline, () -> stopping));
    }

    private BusPipeline newPipeline(String busName) {
        BusPipeline p = new BusPipeline(busName, busDbcs.get(busName), values, rules.binding());
        buses.pipelineSwitched(busName, p);
        return p;
    }

    /** Starts the rules, then every bus (the rules are ready before the first frame); throws when a bus cannot open. */
    public void start() throws Exception {
        rules.start();
        for (BusPart p : parts) p.start();
    }

    /** Waits until every replay bus that does not loop has played its log and its frames went through the rules. */
    public void awaitReplays() throws InterruptedException {
        for (BusPart p : parts) p.awaitReplayed();
    }

    /** Whether every bus replays a log once, so the run has an end. */
    public boolean ends() {
        return config.buses().stream().allMatch(b -> b.kind() == dev.vgate.agent.config.BusKind.REPLAY && !b.loop());
    }

    public int ruleCount() { return ruleSet.rules().size(); }

    public FaultCodes faults() { return faults; }

    /** Per bus: its frames, decoded, unknown ids, as the daemon's status reports them. */
    public Map<String, Object> busStatus() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (BusPart p : parts) m.put(p.name(), p.status());
        return m;
    }

    /** Stops the buses (intake first), then the rules. */
    @Override public void close() {
        stopping = true;
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).stop();
        rules.stop();
    }
}
