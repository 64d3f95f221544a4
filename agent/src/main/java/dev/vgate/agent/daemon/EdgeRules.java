package dev.vgate.agent.daemon;

import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RuleSet;

import java.util.Map;

/**
 * The edge rules as the rest of the daemon sees them: what the bus pipelines evaluate with, the rules in force and
 * a DBC-set swap. {@link RulesPart} runs them; {@link #NONE} stands in without rules (not supervised, pipelines
 * without rules, nothing to swap).
 */
interface EdgeRules extends Service {
    /** What a bus pipeline evaluates its frames with ({@link BusPipeline.RulesBinding#NONE} until the rules run). */
    BusPipeline.RulesBinding binding();

    /** The rules in force, or null when none run (a live update is then checked against no rules). */
    RuleSet active();

    /**
     * Makes {@code rules} (loaded against {@code dbc}, a new DBC set) the rules in force; returns what retires the
     * old engine, to run once every bus has its new pipeline.
     */
    Runnable swap(MultiBusDbc dbc, RuleSet rules);

    EdgeRules NONE = new EdgeRules() {
        @Override public String name() { return "rules"; }

        @Override public void start() { }

        @Override public void stop() { }

        @Override public boolean present() { return false; }

        @Override public Map<String, Object> status() { return Map.of(); }

        @Override public BusPipeline.RulesBinding binding() { return BusPipeline.RulesBinding.NONE; }

        @Override public RuleSet active() { return null; }

        @Override public Runnable swap(MultiBusDbc dbc, RuleSet rules) { return () -> { }; }
    };
}
