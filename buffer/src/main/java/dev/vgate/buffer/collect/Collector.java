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

    GroupCommitter committer() { return committer; }

    Clock clock() { return clock; }
}
