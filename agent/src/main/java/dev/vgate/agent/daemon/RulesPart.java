package dev.vgate.agent.daemon;

import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.CanFrameSender;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.Counter;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RepeatScheduler;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.TickingEvaluator;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Consumer;

/**
 * The edge rules of {@code vgate run}: one rule engine for every bus. Signal names resolve against the DBCs of
 * all buses ({@link MultiBusDbc}: a name found on two buses must be qualified, else the load fails), every bus
 * pipeline feeds it through the {@link TickingEvaluator}'s lock, and a {@code can} action goes to the bus whose
 * DBC defines its message. A timer ticks the engine every {@link #TICK}, so a debounce or stale() ends on time
 * when the buses go quiet. Counters survive restarts ({@link RuleCounterFile}); signed rules updates replace the
 * engine ({@link RulesUpdater}), DBC-set updates rebuild it ({@link #swap}). {@code vgate rules run --config}
 * runs this same part ({@link RulesOnBuses}), with its own alert sink, no counter file and no live updates.
 */
final class RulesPart implements EdgeRules {
    static final Duration TICK = ConfiguredRules.TICK;

    private final RuleSet ruleSet;
    private final MultiBusDbc firstDbc;
    private final Path source;
    private final long memoryBudget;
    private final Counters counters;
    private final AlertSink alerts;
    private final FaultCodes faults;
    private final Consumer<RulesUpdater> updates;
    private final CollectionControl collection;
    private final Predicate<String> capturePolicyExists;
    private final CanFrameSender sender;
    private final LongSupplier frameClock;

    private volatile MultiBusDbc dbc;
    private volatile TickingEvaluator evaluator; // written last: its non-null publishes dbc and actions
    private ActionDispatcher actions;
    private ScheduledExecutorService repeats;
    private ScheduledExecutorService ticks;

    /** Where the rules' counters outlive a run: the daemon's {@link RuleCounterFile}, or {@link #NONE} (start at 0). */
    interface Counters {
        Map<String, Counter.State> load();

        void save(Map<String, Counter.State> counters);

        Counters NONE = new Counters() {
            @Override public Map<String, Counter.State> load() { return Map.of(); }

            @Override public void save(Map<String, Counter.State> counters) { }
        };
    }

    /**
     * @param ruleSet             the rules loaded at start-up, against {@code dbc}
     * @param alerts              where alert actions go (the daemon's telemetry buffer)
     * @param updates             where the part registers the applier of signed rules updates once it runs
     * @param collection          what a {@code collect} action triggers (the telemetry's event capture)
     * @param capturePolicyExists whether the active collection policy names a capture (a rules update is checked against it)
     * @param sender              where {@code can} actions go (by bus)
     * @param frameClock          the clock of the buses' frame timestamps, which the engine's tick follows
     */
    RulesPart(RuleSet ruleSet, MultiBusDbc dbc, Path source, long memoryBudget, Counters counters, AlertSink alerts,
              FaultCodes faults, Consumer<RulesUpdater> updates, CollectionControl collection, Predicate<String> capturePolicyExists,
              CanFrameSender sender, LongSupplier frameClock) {
        this.ruleSet = ruleSet;
        this.firstDbc = dbc;
        this.source = source;
        this.memoryBudget = memoryBudget;
        this.counters = counters;
        this.alerts = alerts;
        this.faults = faults;
        this.updates = updates;
        this.collection = collection;
        this.capturePolicyExists = capturePolicyExists;
        this.sender = sender;
        this.frameClock = frameClock;
    }

    @Override public String name() { return "rules"; }

    @Override public void start() {
        repeats = daemonThread("rule-repeats");
        actions = new ActionDispatcher(sender, RepeatScheduler.of(repeats), alerts, faults, collection);
        RuleEngine engine = new RuleEngine(ruleSet);
        engine.restoreCounters(counters.load());
        // its own thread: the daemon's timers also write status files and publish, which must not delay a tick
        ticks = daemonThread("rule-ticks");
        dbc = firstDbc;
        evaluator = new TickingEvaluator(new FrameEvaluator(engine, actions), ticks, TICK, frameClock);
        updates.accept(new RulesUpdater(() -> dbc, () -> evaluator, actions, faults, capturePolicyExists, memoryBudget));
        ticks.scheduleWithFixedDelay(this::saveCounters, 1, 1, TimeUnit.SECONDS);
        Logger.info("{} edge rule(s) loaded from {} against the DBCs of bus(es) {}", ruleSet.rules().size(), source, firstDbc.buses());
    }

    private static ScheduledExecutorService daemonThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override public BusPipeline.RulesBinding binding() {
        TickingEvaluator e = evaluator;
        return e == null ? BusPipeline.RulesBinding.NONE : BusPipeline.RulesBinding.of(dbc, e);
    }

    /** The rules in force (a live update may have replaced the first), or null before the start. */
    @Override public RuleSet active() {
        TickingEvaluator e = evaluator;
        return e == null ? null : e.evaluator().engine().ruleSet();
    }

    /**
     * A DBC set's rules, loaded against the new DBCs: a new engine (counters carried over) behind a new evaluator.
     * The old evaluator is closed by the returned action, once the buses have their new pipelines.
     */
    @Override public synchronized Runnable swap(MultiBusDbc newDbc, RuleSet rules) {
        TickingEvaluator old = evaluator;
        if (old == null || rules == null) return () -> { };
        RuleEngine engine = new RuleEngine(rules);
        engine.restoreCounters(old.locked(() -> old.evaluator().engine().counterStates()));
        dbc = newDbc;
        evaluator = new TickingEvaluator(new FrameEvaluator(engine, actions), ticks, TICK, frameClock);
        return old::close; // its ticks; frames still in it finish
    }

    /** The counters to disk when they changed (read under the evaluation lock, written outside it). */
    private void saveCounters() {
        TickingEvaluator e = evaluator;
        counters.save(e.locked(() -> e.evaluator().engine().counterStates()));
    }

    @Override public void stop() {
        if (evaluator != null) {
            evaluator.close();
            saveCounters();
        }
        if (ticks != null) ticks.shutdownNow();
        if (repeats != null) repeats.shutdownNow();
    }

    @Override public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        TickingEvaluator e = evaluator;
        if (e != null) m.putAll(e.locked(() -> {
            Map<String, Object> rules = new LinkedHashMap<>();
            RuleEngine engine = e.evaluator().engine(); // a live update may have replaced it
            for (RuleEngine.RuleCounters c : engine.counters()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("active", engine.isActive(c.rule()));
                r.put("fired", c.fired());
                r.put("cleared", c.cleared());
                rules.put(c.rule(), r);
            }
            engine.counterStates().forEach((name, st) -> rules.put("counter:" + name, st.value()));
            return rules;
        }));
        if (actions != null) m.put("send_failures", actions.sendFailures());
        return m;
    }
}
