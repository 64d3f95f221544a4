package dev.vgate.rules.expr;

import java.util.List;

/** Untyped syntax tree of a rule condition; {@code pos} is the 1-based column in the condition text. */
public sealed interface Ast {
    int pos();

    /** A number literal with an optional unit written after it ({@code 60}, {@code 60 degC}, {@code 200ms}, {@code 50%}). */
    record Num(double value, String unit, int pos) implements Ast {}

    /** A signal name ("Sig" or "Msg.Sig"), a value-table label or a geofence name; which one is decided by the compiler. */
    record Ident(String name, int pos) implements Ast {}

    record Call(String function, List<Ast> args, int pos) implements Ast {}

    /** {@code op} is "-" (negation) or "not". */
    record Unary(String op, Ast operand, int pos) implements Ast {}

    /** {@code op} is one of and, or, &gt;, &gt;=, &lt;, &lt;=, ==, !=, +, -, *, /. */
    record Binary(String op, Ast left, Ast right, int pos) implements Ast {}

    /** A whole condition: the expression and its debounce ({@code ... for 200ms}), 0 when none. */
    record Condition(Ast expr, long forNanos) {}
}
