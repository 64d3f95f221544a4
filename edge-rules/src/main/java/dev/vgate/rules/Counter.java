package dev.vgate.rules;

import dev.vgate.dbc.Signal;
import dev.vgate.rules.expr.Ast;

import java.util.List;

/**
 * A counter declared in the rules file ({@code counters:}), readable in conditions as {@code counter(name)}
 * and persisted by the engine's owner across restarts ({@link RuleEngine#counterStates()}). Two kinds:
 * <ul>
 *   <li>{@code count: CONDITION} adds 1 each time the condition becomes true (e.g. one per charge session);</li>
 *   <li>{@code sum_rises: SIGNAL} adds every increase of the signal, optionally only {@code while: CONDITION}
 *       holds (e.g. the SoC gained while charging: 80 of it is one equivalent charge cycle of 80 %).</li>
 * </ul>
 */
public final class Counter {
    public enum Kind { COUNT, SUM_RISES }

    private final int index;
    private final String name;
    private final Kind kind;
    final Ast.Condition condition; // COUNT: the condition; SUM_RISES: the optional while-condition (null: always)
    final Signal signal;           // SUM_RISES only
    private final List<Signal> signals;

    Counter(int index, String name, Kind kind, Ast.Condition condition, Signal signal, List<Signal> signals) {
        this.index = index;
        this.name = name;
        this.kind = kind;
        this.condition = condition;
        this.signal = signal;
        this.signals = List.copyOf(signals);
    }

    public int index() { return index; }
    public String name() { return name; }
    public Kind kind() { return kind; }
    /** Every signal the counter reads (a rule reading the counter is evaluated when one of them changes). */
    public List<Signal> signals() { return signals; }

    /** A counter's persisted state: its value and, for {@code count}, whether its condition held last. */
    public record State(double value, boolean latched) {}
}
