package dev.vgate.agent.daemon;

import dev.vgate.command.exec.ConfigUpdateSink.Kind;
import dev.vgate.rules.Action;
import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.Counter;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.Rule;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import dev.vgate.rules.TickingEvaluator;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A live {@code rules} update: the new file is loaded against the running buses' DBCs (every signal, unit, label,
 * action frame and capture policy checked, as at start-up), then its engine replaces the running one under the
 * evaluation lock, between two frames. The counters carry over by name. Rules that were active in the old set
 * release their fault codes (the new set starts from "nothing active": a rule whose condition still holds
 * fires again).
 */
final class RulesUpdater implements LiveConfig.Applier<RuleSet> {
    private final java.util.function.Supplier<RuleDbc> dbc;
    private final java.util.function.Supplier<TickingEvaluator> evaluator;
    private final ActionDispatcher actions;
    private final FaultCodes faults;
    private final Predicate<String> capturePolicyExists;
    private final long memoryBudget;

    /** {@code dbc} and {@code evaluator}: the running ones (a DBC-set update replaces both); {@code memoryBudget}: rules_memory. */
    RulesUpdater(java.util.function.Supplier<RuleDbc> dbc, java.util.function.Supplier<TickingEvaluator> evaluator, ActionDispatcher actions, FaultCodes faults,
                 Predicate<String> capturePolicyExists, long memoryBudget) {
        this.memoryBudget = memoryBudget;
        this.dbc = dbc;
        this.evaluator = evaluator;
        this.actions = actions;
        this.faults = faults;
        this.capturePolicyExists = capturePolicyExists;
    }

    /**
     * The rules vgate boots with: the last live update when there is one and it still loads against these DBCs,
     * else the configuration's file (null: none).
     */
    static RuleSet boot(LiveConfig live, java.nio.file.Path configured, RuleDbc dbc, long memoryBudget) throws RulesException {
        LiveConfig.Persisted p = live.persisted(Kind.RULES);
        if (p != null) {
            try {
                return RuleSet.parse(new String(p.body(), StandardCharsets.UTF_8), p.file().toString(), dbc, memoryBudget);
            } catch (RulesException e) {
                if (configured == null) throw e;
                live.bootedFromConfiguration(Kind.RULES, e.getMessage());
            }
        }
        return configured == null ? null : RuleSet.load(configured, dbc, memoryBudget);
    }

    @Override public RuleSet validate(byte[] body, String source) throws LiveConfig.Invalid {
        RuleSet set;
        try {
            set = RuleSet.parse(new String(body, StandardCharsets.UTF_8), source, dbc.get(), memoryBudget);
        } catch (RulesException e) {
            throw new LiveConfig.Invalid(e.getMessage());
        }
        checkCapturePolicies(set, capturePolicyExists);
        return set;
    }

    /** Every capture/collect action must name a capture policy the running collection policy defines. */
    static void checkCapturePolicies(RuleSet set, Predicate<String> exists) throws LiveConfig.Invalid {
        for (Rule r : set.rules()) {
            for (Action a : r.actions()) {
                if (a instanceof Action.SwitchCollection s && !exists.test(s.policy())) {
                    throw new LiveConfig.Invalid(set.source() + ": rule '" + r.name() + "': capture policy '" + s.policy()
                            + "' is not defined by the active collection policy");
                }
            }
        }
    }

    @Override public void activate(RuleSet set) {
        RuleEngine next = new RuleEngine(set);
        TickingEvaluator evaluator = this.evaluator.get();
        evaluator.locked(() -> {
            RuleEngine old = evaluator.evaluator().engine();
            Map<String, Counter.State> counters = old.counterStates();
            next.restoreCounters(counters);
            long now = System.currentTimeMillis() * 1_000_000L;
            for (Rule r : old.ruleSet().rules()) {
                if (!old.isActive(r.name())) continue;
                for (Action a : r.actions()) if (a instanceof Action.RaiseFault f) faults.clear(f.code(), r.name(), now);
            }
            evaluator.replace(new FrameEvaluator(next, actions));
            return null;
        });
        Logger.info("{} edge rule(s) from {} now run", set.rules().size(), set.source());
    }
}
