package dev.vgate.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DTC-like fault codes raised by rules: a code is active while at least one rule that raised it is active.
 * Written by the receiving thread, read by anyone (health, CLI, cloud queries): synchronized, small.
 */
public final class FaultCodes {
    /** One active fault: the rules holding it and when it was first raised. */
    public record Fault(String code, String description, long sinceNanos, Set<String> rules) {}

    /** One entry of the history: raised or cleared. */
    public record Change(String code, boolean active, long atNanos, String rule) {}

    private static final int HISTORY = 256;
    private final Map<String, MutableFault> active = new LinkedHashMap<>();
    private final List<Change> history = new ArrayList<>();

    private static final class MutableFault {
        final String description;
        final long since;
        final Set<String> rules = new LinkedHashSet<>();
        MutableFault(String description, long since) { this.description = description; this.since = since; }
    }

    public synchronized void raise(String code, String description, String rule, long atNanos) {
        MutableFault f = active.get(code);
        if (f == null) {
            f = new MutableFault(description, atNanos);
            active.put(code, f);
            record(new Change(code, true, atNanos, rule));
        }
        f.rules.add(rule);
    }

    public synchronized void clear(String code, String rule, long atNanos) {
        MutableFault f = active.get(code);
        if (f == null || !f.rules.remove(rule)) return;
        if (f.rules.isEmpty()) {
            active.remove(code);
            record(new Change(code, false, atNanos, rule));
        }
    }

    public synchronized boolean isActive(String code) { return active.containsKey(code); }

    public synchronized List<Fault> active() {
        List<Fault> out = new ArrayList<>();
        for (Map.Entry<String, MutableFault> e : active.entrySet()) {
            MutableFault f = e.getValue();
            out.add(new Fault(e.getKey(), f.description, f.since, Set.copyOf(f.rules)));
        }
        out.sort(Comparator.comparingLong(Fault::sinceNanos));
        return Collections.unmodifiableList(out);
    }

    /** The last raise/clear changes, oldest first. */
    public synchronized List<Change> history() { return List.copyOf(history); }

    private void record(Change c) {
        if (history.size() == HISTORY) history.remove(0);
        history.add(c);
    }
}
