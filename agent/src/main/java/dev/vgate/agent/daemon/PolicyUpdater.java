package dev.vgate.agent.daemon;

import dev.vgate.buffer.collect.Collector;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.PolicyException;
import dev.vgate.buffer.policy.PolicyLoader;
import dev.vgate.buffer.policy.PolicyRule;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.Signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A live {@code collection-policy} update: parsed and checked like the configuration's file, then against the
 * running buses (a rule's {@code bus} must be a configured bus, its {@code match} must match a signal there: a
 * glob that matches nothing is a typo that would silently collect nothing), then swapped into the
 * {@link Collector} at once (its bus collectors pick it up with their next sample; per-signal state stays).
 */
final class PolicyUpdater implements LiveConfig.Applier<CollectionPolicy> {
    private final Supplier<Collector> collector;
    private final Supplier<Map<String, List<DbcDatabase>>> busDbcs;
    private final Supplier<dev.vgate.rules.RuleSet> activeRules;

    PolicyUpdater(Supplier<Collector> collector, Supplier<Map<String, List<DbcDatabase>>> busDbcs, Supplier<dev.vgate.rules.RuleSet> activeRules) {
        this.collector = collector;
        this.busDbcs = busDbcs;
        this.activeRules = activeRules;
    }

    /** The policy vgate boots with: the last live update if there is one and it parses, else the configuration's. */
    static CollectionPolicy boot(LiveConfig live, java.nio.file.Path configured) throws PolicyException {
        LiveConfig.Persisted p = live.persisted(dev.vgate.command.exec.ConfigUpdateSink.Kind.COLLECTION_POLICY);
        if (p != null) {
            try {
                return PolicyLoader.parse(new String(p.body(), StandardCharsets.UTF_8), p.file().toString());
            } catch (PolicyException e) {
                live.bootedFromConfiguration(dev.vgate.command.exec.ConfigUpdateSink.Kind.COLLECTION_POLICY, e.getMessage());
            }
        }
        return configured == null ? CollectionPolicy.everySample() : PolicyLoader.load(configured);
    }

    @Override public CollectionPolicy validate(byte[] body, String source) throws LiveConfig.Invalid {
        CollectionPolicy p;
        try {
            p = PolicyLoader.parse(new String(body, StandardCharsets.UTF_8), source);
        } catch (PolicyException e) {
            throw new LiveConfig.Invalid(e.getMessage());
        }
        List<String> problems = problems(p, busDbcs.get());
        if (!problems.isEmpty()) throw new LiveConfig.Invalid(String.join("; ", problems));
        dev.vgate.rules.RuleSet rules = activeRules.get();
        if (rules != null) RulesUpdater.checkCapturePolicies(rules, name -> p.capture(name) != null); // the rules' captures must stay defined
        return p;
    }

    /** What does not fit the running buses, one line each. */
    static List<String> problems(CollectionPolicy p, Map<String, List<DbcDatabase>> buses) {
        List<String> out = new ArrayList<>();
        for (PolicyRule r : p.rules()) {
            if (r.bus() != null && !buses.containsKey(r.bus())) {
                out.add(r.name() + ": bus '" + r.bus() + "' is not a configured bus (" + String.join(", ", buses.keySet()) + ")");
                continue;
            }
            if (!matchesAny(r, buses)) out.add(r.name() + ": '" + r.glob() + "' matches no signal of the running buses' DBCs");
        }
        return out;
    }

    private static boolean matchesAny(PolicyRule r, Map<String, List<DbcDatabase>> buses) {
        for (Map.Entry<String, List<DbcDatabase>> b : buses.entrySet()) {
            for (DbcDatabase db : b.getValue()) {
                for (Signal s : db.signals()) if (r.matches(b.getKey(), s.message().name(), s.name())) return true;
            }
        }
        return false;
    }

    @Override public void activate(CollectionPolicy p) {
        collector.get().replacePolicy(p);
    }
}
