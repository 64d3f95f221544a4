package dev.vgate.agent.daemon;

import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.command.exec.ConfigUpdateSink.Kind;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A live {@code dbc-set} update (a decoder manifest): the DBCs are parsed, then everything that depends on them
 * is checked against the new set before anything changes — the active rules must load against it (names,
 * units, labels, action frames; bus qualification over the new set) and the active collection policy must still
 * match signals. Activation builds each bus's new pipeline (decoders, collectors, last values) and the rules'
 * new engine, and each bus switches to its new pipeline at its next frame ({@link PipelineSwitch}).
 */
final class DbcSetUpdater implements LiveConfig.Applier<DbcSetUpdater.Prepared> {
    /** A validated DBC set: every bus's DBCs, and the active rules loaded against them (null without rules). */
    record Prepared(Map<String, List<DbcDatabase>> busDbcs, MultiBusDbc rulesDbc, RuleSet rules) {}

    private final Supplier<Map<String, List<DbcDatabase>>> running;
    private final Supplier<RuleSet> activeRules;
    private final Supplier<CollectionPolicy> activePolicy;
    private final Consumer<Prepared> swap;
    private final long rulesMemory;

    /** {@code rulesMemory}: the rules' memory budget (rules_memory), which the active rules must keep against the new DBCs. */
    DbcSetUpdater(Supplier<Map<String, List<DbcDatabase>>> running, Supplier<RuleSet> activeRules, Supplier<CollectionPolicy> activePolicy,
                  Consumer<Prepared> swap, long rulesMemory) {
        this.rulesMemory = rulesMemory;
        this.running = running;
        this.activeRules = activeRules;
        this.activePolicy = activePolicy;
        this.swap = swap;
    }

    /** The DBCs to boot with: the configuration's, with the buses of the last DBC-set update replaced. */
    static void boot(LiveConfig live, Map<String, List<DbcDatabase>> busDbcs) {
        LiveConfig.Persisted p = live.persisted(Kind.DBC_SET);
        if (p == null) return;
        try {
            busDbcs.putAll(DbcSet.parse(p.body(), p.file().toString(), busDbcs.keySet()));
        } catch (LiveConfig.Invalid e) {
            live.bootedFromConfiguration(Kind.DBC_SET, e.getMessage());
        }
    }

    @Override public Prepared validate(byte[] body, String source) throws LiveConfig.Invalid {
        Map<String, List<DbcDatabase>> next = new LinkedHashMap<>(running.get());
        next.putAll(DbcSet.parse(body, source, next.keySet()));
        MultiBusDbc dbc = null;
        RuleSet rules = null;
        RuleSet active = activeRules.get();
        if (active != null) {
            dbc = MultiBusDbc.of(next);
            try {
                rules = RuleSet.parse(active.text(), active.source(), dbc, rulesMemory);
            } catch (RulesException | RuntimeException e) {
                throw new LiveConfig.Invalid(source + ": the active rules do not load against this DBC set: " + e.getMessage());
            }
        }
        CollectionPolicy policy = activePolicy.get();
        if (policy != null) {
            List<String> problems = PolicyUpdater.problems(policy, next);
            if (!problems.isEmpty()) throw new LiveConfig.Invalid(source + ": the active collection policy does not fit this DBC set: " + String.join("; ", problems));
        }
        return new Prepared(next, dbc, rules);
    }

    @Override public void activate(Prepared p) { swap.accept(p); }
}
