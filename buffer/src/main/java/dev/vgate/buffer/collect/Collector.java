package dev.vgate.buffer.collect;

import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.dbc.DbcDatabase;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Decides which decoded samples are kept, per the current {@link CollectionPolicy}, and hands them to the
 * {@link GroupCommitter}. One {@link BusCollector} per bus (each bus has its own DBC and signal indices).
 * The policy is swapped atomically by {@link #replacePolicy}; collectors pick it up on their next sample.
 */
public final class Collector {
    private final GroupCommitter committer;
    private final Clock clock;
    private volatile CollectionPolicy policy;
    /** The event capture in progress, replaced whole; every bus collector picks it up with its next sample. */
    private volatile Capture capture;
    private long generation;
    private long events, merges;

    /**
     * An event capture: every sample of the policy's signals with a time in [fromUs, untilUs] is stored at full
     * rate as {@link dev.vgate.buffer.Priority#CAPTURE} in streams of bus {@code capture/EVENT_ID/BUS}.
     */
    public record Capture(String eventId, dev.vgate.buffer.policy.CapturePolicy policy, long fromUs, long untilUs, long generation) {}

    public Collector(GroupCommitter committer, CollectionPolicy policy, Clock clock) {
        this.committer = committer;
        this.policy = Objects.requireNonNull(policy);
        this.clock = clock;
    }

    /** A sink for the frames of one bus, decoded with {@code dbc}. Call it from one thread (the bus's receive thread). */
    public BusCollector forBus(String bus, DbcDatabase dbc) {
        return new BusCollector(this, bus, dbc.signals());
    }

    /** For tests and tools that have signals but no loaded database. */
    public BusCollector forBus(String bus, List<? extends dev.vgate.dbc.Signal> signals) {
        return new BusCollector(this, bus, signals);
    }

    /** Replaces the policy for all buses without a restart; per-signal state (last kept value/time) is kept. */
    public void replacePolicy(CollectionPolicy next) {
        policy = Objects.requireNonNull(next);
        org.tinylog.Logger.info("telemetry collection policy replaced: {} ({} rules)", next.source(), next.rules().size());
    }

    public CollectionPolicy policy() { return policy; }

    /**
     * A rule's capture action: records the named capture policy's signals from {@code preNanos} before the event
     * (out of each bus's pre-trigger ring) to {@code postNanos} after it. A trigger whose window overlaps the
     * capture in progress merges into it (same event id, the window and the signals widened). Called on the
     * rules' thread: it only publishes a new {@link Capture}. Returns the event id, or null when the policy has no
     * such capture (refused when the rules load; logged).
     */
    public synchronized String trigger(String rule, String capturePolicy, long eventNanos, long preNanos, long postNanos) {
        dev.vgate.buffer.policy.CapturePolicy cp = policy.capture(capturePolicy);
        if (cp == null) {
            org.tinylog.Logger.error("rule {} asks for capture policy '{}', which the collection policy does not define", rule, capturePolicy);
            return null;
        }
        long from = (eventNanos - preNanos) / 1000, until = (eventNanos + postNanos) / 1000;
        Capture c = capture;
        if (c != null && from <= c.untilUs()) {
            dev.vgate.buffer.policy.CapturePolicy both = c.policy() == cp || c.policy().name().equals(cp.name()) ? c.policy()
                    : new dev.vgate.buffer.policy.CapturePolicy(c.policy().name() + "+" + cp.name(),
                            java.util.stream.Stream.concat(c.policy().signals().stream(), cp.signals().stream()).toList());
            capture = new Capture(c.eventId(), both, Math.min(c.fromUs(), from), Math.max(c.untilUs(), until), ++generation);
            merges++;
            org.tinylog.Logger.info("rule {} capture merged into event {} (now until {} us)", rule, c.eventId(), capture.untilUs());
        } else {
            capture = new Capture(rule + "-" + eventNanos / 1_000_000L, cp, from, until, ++generation);
            events++;
            org.tinylog.Logger.info("event capture {} ({}): {} us to {} us", capture.eventId(), cp.name(), from, until);
        }
        return capture.eventId();
    }

    Capture capture() { return capture; }

    /** Capture events started, and triggers merged into a capture in progress. */
    public synchronized long captureEvents() { return events; }

    public synchronized long captureMerges() { return merges; }

    GroupCommitter committer() { return committer; }

    Clock clock() { return clock; }
}
