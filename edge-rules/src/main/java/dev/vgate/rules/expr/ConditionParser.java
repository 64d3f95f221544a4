package dev.vgate.rules.expr;

import dev.vgate.input.Untrusted;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a rule condition into an {@link Ast}. Grammar, loosest binding first:
 * <pre>
 * condition := expr [ 'for' DURATION ]
 * expr      := and { 'or' and }
 * and       := not { 'and' not }
 * not       := 'not' not | cmp
 * cmp       := sum [ ('&gt;'|'&gt;='|'&lt;'|'&lt;='|'=='|'!=') sum ]
 * sum       := prod { ('+'|'-') prod }
 * prod      := unary { ('*'|'/') unary }
 * unary     := '-' unary | atom
 * atom      := NUMBER [UNIT] | NAME | NAME '(' [expr {',' expr}] ')' | '(' expr ')'
 * </pre>
 * A unit follows its number directly ({@code 200ms}, {@code 50%}) or after spaces when it is a known unit
 * word ({@code 60 degC}); names may contain dots ({@code BMS_Thermal.BMS_Temp}).
 */
public final class ConditionParser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "for");
    /** Unit words that may follow a number after a space; anything else after a space is not a unit. */
    private static final Set<String> SPACED_UNITS = Set.of(
            "degC", "degF", "K", "V", "mV", "A", "mA", "W", "kW", "Wh", "kWh", "km/h", "m/s", "m/s2", "m/s²", "g",
            "bar", "kPa", "Pa", "rpm", "Nm", "deg", "m", "km", "ms", "s", "min", "h", "Hz", "degC/min", "degC/s", "%/kWh");

    /** Deepest nesting of parentheses, calls, 'not' and unary '-' (the compiler and evaluator recurse on it). */
    public static final int MAX_NESTING = 32;
    /** Most binary operators (and call arguments after the first) in one condition: a long and/or chain is a deep tree too. */
    public static final int MAX_OPERATORS = 256;

    private final String text;
    private int i;
    private int nesting, operators;

    private ConditionParser(String text) { this.text = text; }

    public static Ast.Condition parse(String text) throws ExprSyntaxException {
        if (text == null || text.isBlank()) throw new ExprSyntaxException(1, "empty condition");
        ConditionParser p = new ConditionParser(text);
        Ast e = p.expr();
        long forNanos = 0;
        p.skipSpaces();
        if (p.peekWord("for")) {
            int at = p.i + 1;
            p.i += 3;
            p.skipSpaces();
            Ast d = p.atom();
            if (!(d instanceof Ast.Num)) throw new ExprSyntaxException(at, "expected a duration after 'for', e.g. 'for 200ms'");
            Ast.Num n = (Ast.Num) d;
            forNanos = Durations.toNanos(n.value(), n.unit());
            if (forNanos <= 0) throw new ExprSyntaxException(n.pos(), "expected a positive duration (ms, s, min, h) after 'for'");
        }
        p.skipSpaces();
        if (p.i < text.length()) throw new ExprSyntaxException(p.i + 1, "unexpected '" + Untrusted.escape(text.substring(p.i), 40) + "'");
        return new Ast.Condition(e, forNanos);
    }

    private Ast expr() throws ExprSyntaxException {
        Ast l = and();
        while (true) {
            skipSpaces();
            int at = i + 1;
            if (!acceptWord("or")) return l;
            l = binary("or", l, and(), at);
        }
    }

    private Ast and() throws ExprSyntaxException {
        Ast l = not();
        while (true) {
            skipSpaces();
            int at = i + 1;
            if (!acceptWord("and")) return l;
            l = binary("and", l, not(), at);
        }
    }

    private Ast not() throws ExprSyntaxException {
        skipSpaces();
        int at = i + 1;
        if (acceptWord("not")) {
            enter(at);
            Ast operand = not();
            nesting--;
            return new Ast.Unary("not", operand, at);
        }
        return cmp();
    }

    private Ast cmp() throws ExprSyntaxException {
        Ast l = sum();
        skipSpaces();
        int at = i + 1;
        String op = acceptOp(">=", "<=", "==", "!=", ">", "<");
        if (op == null) {
            if (i < text.length() && text.charAt(i) == '=') throw new ExprSyntaxException(at, "use '==' to compare for equality");
            return l;
        }
        return binary(op, l, sum(), at);
    }

    private Ast sum() throws ExprSyntaxException {
        Ast l = prod();
        while (true) {
            skipSpaces();
            int at = i + 1;
            String op = acceptOp("+", "-");
            if (op == null) return l;
            l = binary(op, l, prod(), at);
        }
    }

    private Ast prod() throws ExprSyntaxException {
        Ast l = unary();
        while (true) {
            skipSpaces();
            int at = i + 1;
            String op = acceptOp("*", "/");
            if (op == null) return l;
            l = binary(op, l, unary(), at);
        }
    }

    private Ast unary() throws ExprSyntaxException {
        skipSpaces();
        int at = i + 1;
        if (acceptOp("-") != null) {
            enter(at);
            Ast operand = unary();
            nesting--;
            return new Ast.Unary("-", operand, at);
        }
        return atom();
    }

    private Ast atom() throws ExprSyntaxException {
        skipSpaces();
        int at = i + 1;
        if (i >= text.length()) throw new ExprSyntaxException(at, "unexpected end of condition");
        char c = text.charAt(i);
        if (c == '(') {
            i++;
            enter(at);
            Ast e = expr();
            expect(')');
            nesting--;
            return e;
        }
        if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) return number();
        if (isNameStart(c)) {
            String name = name();
            if (KEYWORDS.contains(name)) throw new ExprSyntaxException(at, "expected a value before '" + name + "'");
            skipSpaces();
            if (i < text.length() && text.charAt(i) == '(') {
                i++;
                enter(at);
                List<Ast> args = new ArrayList<>();
                skipSpaces();
                if (i < text.length() && text.charAt(i) == ')') {
                    i++;
                } else {
                    while (true) {
                        args.add(expr());
                        skipSpaces();
                        if (!accept(',')) break;
                        // max(a, b, c) is a chain of operators to evaluate: its arguments count against the bound
                        if (++operators > MAX_OPERATORS) throw new ExprSyntaxException(i, "more than " + MAX_OPERATORS + " operators and call arguments in one condition");
                    }
                    expect(')');
                }
                nesting--;
                return new Ast.Call(name, List.copyOf(args), at);
            }
            return new Ast.Ident(name, at);
        }
        throw new ExprSyntaxException(at, "unexpected '" + Untrusted.escape(String.valueOf(c)) + "'");
    }

    private void enter(int at) throws ExprSyntaxException {
        if (++nesting > MAX_NESTING) throw new ExprSyntaxException(at, "nested deeper than " + MAX_NESTING + " levels");
    }

    private Ast binary(String op, Ast l, Ast r, int at) throws ExprSyntaxException {
        if (++operators > MAX_OPERATORS) throw new ExprSyntaxException(at, "more than " + MAX_OPERATORS + " operators in one condition");
        return new Ast.Binary(op, l, r, at);
    }

    private Ast number() throws ExprSyntaxException {
        int at = i + 1;
        int start = i;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) i++;
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')
                && i + 1 < text.length() && (Character.isDigit(text.charAt(i + 1)) || text.charAt(i + 1) == '-')) {
            i += 2;
            while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        }
        double v;
        try {
            v = Double.parseDouble(text.substring(start, i));
        } catch (NumberFormatException e) {
            throw new ExprSyntaxException(at, "bad number '" + text.substring(start, i) + "'");
        }
        String unit = null;
        if (i < text.length() && isUnitChar(text.charAt(i))) {
            unit = unitWord();
        } else {
            int save = i;
            skipSpaces();
            if (i < text.length() && (text.charAt(i) == '°' || text.charAt(i) == '%')) {
                unit = unitWord();
            } else if (i < text.length() && isUnitChar(text.charAt(i))) {
                String w = unitWord();
                if (SPACED_UNITS.contains(w)) unit = w;
                else i = save;
            } else {
                i = save;
            }
        }
        return new Ast.Num(v, unit, at);
    }

    private String unitWord() {
        int start = i;
        while (i < text.length() && isUnitChar(text.charAt(i))) i++;
        // a trailing '/' belongs to a division, not the unit: "60 km/h" vs "50% / 2"
        while (i > start + 1 && text.charAt(i - 1) == '/') i--;
        return text.substring(start, i);
    }

    private String name() {
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.')) i++;
        return text.substring(start, i);
    }

    private static boolean isNameStart(char c) { return Character.isLetter(c) || c == '_'; }

    private static boolean isUnitChar(char c) {
        return Character.isLetterOrDigit(c) || c == '°' || c == '%' || c == '/' || c == '²' || c == '_';
    }

    private void skipSpaces() {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
    }

    private boolean peekWord(String w) {
        if (!text.startsWith(w, i)) return false;
        int end = i + w.length();
        return end == text.length() || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_' || text.charAt(end) == '.');
    }

    private boolean acceptWord(String w) {
        if (!peekWord(w)) return false;
        i += w.length();
        return true;
    }

    private String acceptOp(String... ops) {
        for (String op : ops) {
            if (text.startsWith(op, i)) {
                i += op.length();
                return op;
            }
        }
        return null;
    }

    private boolean accept(char c) {
        skipSpaces();
        if (i < text.length() && text.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws ExprSyntaxException {
        if (!accept(c)) {
            String found = i < text.length() ? "'" + text.charAt(i) + "'" : "end of condition";
            throw new ExprSyntaxException(i + 1, "expected '" + c + "', found " + found);
        }
    }
}
