package dev.vgate.rules;

import dev.vgate.input.Untrusted;

/**
 * A rule that is not valid; names the rule, the field and the reason. The reason quotes the file's own text
 * (a condition, a label, a signal name), so it is escaped and bounded here, once for every caller: a YAML
 * scalar can hold line breaks and control characters, and the message goes into logs and command replies
 * as one line.
 */
public final class RuleValidationException extends RulesException {
    private static final long serialVersionUID = 1L;
    private final String rule;
    private final String field;
    private final String reason;

    /** Longest reason kept; a longer one (a condition quoted whole, a long list of signals) is cut. */
    static final int MAX_REASON_CHARS = 1000;

    public RuleValidationException(String source, String rule, String field, String reason) {
        super(source + ": " + (rule == null ? "" : "rule '" + rule + "', ") + "field '" + field + "': "
                + Untrusted.escape(reason, MAX_REASON_CHARS));
        this.rule = rule;
        this.field = field;
        this.reason = Untrusted.escape(reason, MAX_REASON_CHARS);
    }

    /** The rule's name (or "#3" when it has none yet), null for file-level fields. */
    public String rule() { return rule; }
    /** Path of the field inside the rule, e.g. "when" or "actions[0].can.signals.ContactorRequest". */
    public String field() { return field; }
    public String reason() { return reason; }
}
