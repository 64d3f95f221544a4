package dev.vgate.rules;

import dev.vgate.dbc.Signal;
import dev.vgate.rules.expr.Ast;

import java.util.List;

/** One validated rule as declared in the rules file (immutable; the engine keeps the run-time state). */
public final class Rule {
    private final int index;
    private final String name;
    private final String description;
    private final String when;
    private final String clear;
    final Ast.Condition whenAst;
    final Ast.Condition clearAst;
    private final RateLimit rateLimit;
    private final List<Action> actions;
    private final List<Action> clearActions;
    private final List<Signal> signals;

    Rule(int index, String name, String description, String when, Ast.Condition whenAst, String clear, Ast.Condition clearAst,
         RateLimit rateLimit, List<Action> actions, List<Action> clearActions, List<Signal> signals) {
        this.index = index;
        this.name = name;
        this.description = description;
        this.when = when;
        this.whenAst = whenAst;
        this.clear = clear;
        this.clearAst = clearAst;
        this.rateLimit = rateLimit;
        this.actions = List.copyOf(actions);
        this.clearActions = List.copyOf(clearActions);
        this.signals = List.copyOf(signals);
    }

    /** Position in the rules file, 0-based. */
    public int index() { return index; }
    public String name() { return name; }
    public String description() { return description; }
    public String when() { return when; }
    /** The clear condition as written, or null (then the rule clears when {@link #when()} is false). */
    public String clear() { return clear; }
    /** At most {@code max} firings per {@code per}; null if unlimited. */
    public RateLimit rateLimit() { return rateLimit; }
    public List<Action> actions() { return actions; }
    public List<Action> clearActions() { return clearActions; }

    /** The DBC signals the rule's conditions read (their values go into its alerts). */
    public List<Signal> signals() { return signals; }

    public record RateLimit(int max, long perNanos) {}

    @Override public String toString() { return "rule '" + name + "'"; }
}
