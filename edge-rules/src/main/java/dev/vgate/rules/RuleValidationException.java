package dev.vgate.rules;

/** A rule that is not valid; names the rule, the field and the reason. */
public final class RuleValidationException extends RulesException {
    private static final long serialVersionUID = 1L;
    private final String rule;
    private final String field;
    private final String reason;

    public RuleValidationException(String source, String rule, String field, String reason) {
        super(source + ": " + (rule == null ? "" : "rule '" + rule + "', ") + "field '" + field + "': " + reason);
        this.rule = rule;
        this.field = field;
        this.reason = reason;
    }

    /** The rule's name (or "#3" when it has none yet), null for file-level fields. */
    public String rule() { return rule; }
    /** Path of the field inside the rule, e.g. "when" or "actions[0].can.signals.ContactorRequest". */
    public String field() { return field; }
    public String reason() { return reason; }
}
