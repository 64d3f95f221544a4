package dev.vgate.rules;

import org.tinylog.Logger;

/**
 * The run-time state of one rule inside one engine: compiled conditions and a small state machine
 * (idle → pending debounce → active → pending clear → idle), all primitive fields.
 */
final class RuleRuntime {
    static final int IDLE = 0, PENDING = 1, ACTIVE = 2, CLEAR_PENDING = 3;

    final Rule rule;
    private final Nodes.Bool when;
    /** Null: the rule clears when {@code when} no longer holds. */
    private final Nodes.Bool clear;
    private final long whenFor, clearFor;
    /** Needs evaluation by the clock, not only by its signals (debounce or stale()). */
    final boolean timed;
    private final long[] fireTimes;
    private final long ratePer;
    private int fireHead, fireCount;

    int state = IDLE;
    private long since;
    /** Earliest sample time at which an evaluation may change something without a new value of its signals. */
    long deadline = Long.MAX_VALUE;
    /** This activation was rate-limited: no fired event went out, so no cleared event either. */
    private boolean suppressed;
    long firedCount, clearedCount, suppressedCount;

    RuleRuntime(Rule rule, Nodes.Bool when, Nodes.Bool clear, boolean hasStale) {
        this.rule = rule;
        this.when = when;
        this.clear = clear;
        this.whenFor = rule.whenAst.forNanos();
        this.clearFor = rule.clearAst == null ? 0 : rule.clearAst.forNanos();
        this.timed = hasStale || whenFor > 0 || clearFor > 0;
        Rule.RateLimit rl = rule.rateLimit();
        this.fireTimes = rl == null ? null : new long[rl.max()];
        this.ratePer = rl == null ? 0 : rl.perNanos();
    }

    /** Heap one rule's run-time state preallocates: the object and its rate-limit ring. */
    static long bytesFor(Rule rule) {
        Rule.RateLimit rl = rule.rateLimit();
        return 96 + (rl == null ? 0 : 16 + 8L * rl.max());
    }

    void evaluate(EvalState s, ActionSink sink, String iface) {
        long now = s.now;
        switch (state) {
            case IDLE:
                if (when.test(s)) {
                    if (whenFor == 0) fire(s, sink, iface);
                    else { state = PENDING; since = now; }
                }
                break;
            case PENDING:
                if (!when.test(s)) state = IDLE;
                else if (now - since >= whenFor) fire(s, sink, iface);
                break;
            case ACTIVE:
                if (clearHolds(s)) {
                    if (clearFor == 0) clear(s, sink, iface);
                    else { state = CLEAR_PENDING; since = now; }
                }
                break;
            default: // CLEAR_PENDING
                if (!clearHolds(s)) state = ACTIVE;
                else if (now - since >= clearFor) clear(s, sink, iface);
                break;
        }
        if (timed) deadline = nextDeadline(s);
    }

    private boolean clearHolds(EvalState s) { return clear != null ? clear.test(s) : !when.test(s); }

    private long nextDeadline(EvalState s) {
        long d = state == PENDING ? since + whenFor : state == CLEAR_PENDING ? since + clearFor : Long.MAX_VALUE;
        if (state == IDLE || state == PENDING) d = Math.min(d, when.deadline(s));
        else d = Math.min(d, clear != null ? clear.deadline(s) : when.deadline(s));
        return d;
    }

    private void fire(EvalState s, ActionSink sink, String iface) {
        state = ACTIVE;
        if (!allowedByRateLimit(s.now)) {
            suppressed = true;
            suppressedCount++;
            return;
        }
        suppressed = false;
        firedCount++;
        try {
            sink.fired(rule, s.now, iface, s);
        } catch (RuntimeException e) {
            // the receiving thread must survive a broken sink; the rule stays active
            Logger.error(e, "action sink failed on {} firing", rule);
        }
    }

    private void clear(EvalState s, ActionSink sink, String iface) {
        state = IDLE;
        if (suppressed) return;
        clearedCount++;
        try {
            sink.cleared(rule, s.now, iface, s);
        } catch (RuntimeException e) {
            Logger.error(e, "action sink failed on {} clearing", rule);
        }
    }

    private boolean allowedByRateLimit(long now) {
        if (fireTimes == null) return true;
        // ring of the last max fire times: allowed if the oldest of them is at least 'per' ago
        if (fireCount == fireTimes.length) {
            if (now - fireTimes[fireHead] < ratePer) return false;
            fireTimes[fireHead] = now;
            fireHead = (fireHead + 1) % fireTimes.length;
        } else {
            fireTimes[(fireHead + fireCount) % fireTimes.length] = now;
            fireCount++;
        }
        return true;
    }
}
