package dev.vgate.rules;

import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.Signal;
import org.tinylog.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executes rule actions, in the order that matters for safety: CAN frames first (the first frame on this
 * thread, at once; repeats scheduled), then the fault code, the collection switch and the alert. A clear
 * event clears the rule's fault codes, sends a cleared alert for each alert the rule raised, and runs the
 * rule's {@code clear_actions}.
 */
public final class ActionDispatcher implements ActionSink {
    private final CanFrameSender can;
    private final RepeatScheduler repeats;
    private final AlertSink alerts;
    private final FaultCodes faults;
    private final CollectionControl collection;
    private final CanFrame scratch = new CanFrame();
    private final AtomicLong sendFailures = new AtomicLong();

    public ActionDispatcher(CanFrameSender can, RepeatScheduler repeats, AlertSink alerts, FaultCodes faults, CollectionControl collection) {
        this.can = can;
        this.repeats = repeats;
        this.alerts = alerts;
        this.faults = faults;
        this.collection = collection;
    }

    @Override public void fired(Rule rule, long at, String iface, SignalValues values) {
        run(rule, rule.actions(), RuleAlert.Event.FIRED, at, iface, values);
    }

    @Override public void cleared(Rule rule, long at, String iface, SignalValues values) {
        boolean clearHasAlert = false;
        for (Action a : rule.clearActions()) clearHasAlert |= a instanceof Action.RaiseAlert;
        for (Action a : rule.actions()) {
            if (a instanceof Action.RaiseFault f) faults.clear(f.code(), rule.name(), at);
            else if (a instanceof Action.RaiseAlert al && !clearHasAlert) {
                publish(rule, RuleAlert.Event.CLEARED, al, at, values);
            }
        }
        run(rule, rule.clearActions(), RuleAlert.Event.CLEARED, at, iface, values);
    }

    private void run(Rule rule, List<Action> actions, RuleAlert.Event event, long at, String iface, SignalValues values) {
        for (int k = 0; k < actions.size(); k++) {
            if (actions.get(k) instanceof Action.SendCan c) sendCan(rule, c, at, iface);
        }
        for (int k = 0; k < actions.size(); k++) {
            Action a = actions.get(k);
            if (a instanceof Action.RaiseFault f) {
                faults.raise(f.code(), f.description(), rule.name(), at);
            } else if (a instanceof Action.SwitchCollection s) {
                collection.trigger(rule.name(), s.policy(), at, s.preNanos(), s.postNanos());
            }
        }
        for (int k = 0; k < actions.size(); k++) {
            if (actions.get(k) instanceof Action.RaiseAlert al) {
                publish(rule, event, al, at, values);
            }
        }
    }

    private void sendCan(Rule rule, Action.SendCan c, long at, String iface) {
        send(rule, c.bus(), c.fill(scratch).timestampNanos(at).iface(iface));
        for (int k = 1; k < c.repeat(); k++) {
            repeats.schedule(() -> send(rule, c.bus(), c.fill(new CanFrame()).timestampNanos(at).iface(iface)), k * c.periodNanos());
        }
    }

    private void send(Rule rule, String bus, CanFrame f) {
        try {
            can.send(bus, f);
        } catch (CanException | RuntimeException e) {
            sendFailures.incrementAndGet();
            Logger.error("{}: sending {} failed: {}", rule, f, e.getMessage());
        }
    }

    /** CAN sends that failed (the bus is down, the queue is full); each is also logged. */
    public long sendFailures() { return sendFailures.get(); }

    private static String message(Rule rule, Action.RaiseAlert a) {
        if (!a.message().isEmpty()) return a.message();
        return rule.description().isEmpty() ? rule.when() : rule.description();
    }

    /** The alert with its evidence: every signal the rule reads, its value and when that value was received. */
    private void publish(Rule rule, RuleAlert.Event event, Action.RaiseAlert al, long at, SignalValues values) {
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, Long> t = new LinkedHashMap<>();
        for (Signal s : rule.signals()) {
            String name = v.containsKey(s.name()) ? s.message().name() + "." + s.name() : s.name();
            v.put(name, values.value(s.index()));
            long seen = values.lastUpdateNanos(s.index());
            if (seen != EvalState.NEVER) t.put(name, seen);
        }
        alerts.publish(new RuleAlert(rule.name(), event, al.severity(), at, message(rule, al), v, t));
    }
}
