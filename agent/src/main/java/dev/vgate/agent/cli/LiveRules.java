package dev.vgate.agent.cli;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.rules.ActionDispatcher;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.CollectionControl;
import dev.vgate.rules.FaultCodes;
import dev.vgate.rules.FrameEvaluator;
import dev.vgate.rules.RepeatScheduler;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.TickingEvaluator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Edge rules on a live CAN channel, as {@code vgate rules run} uses them (the daemon wires the same parts):
 * frames are decoded and evaluated on the channel's receive thread, CAN actions go back out on the same
 * channel at once (repeats from a scheduler thread), alerts to the given sink (which only enqueues). The
 * same scheduler ticks the engine as often as the daemon does ({@link dev.vgate.agent.daemon.ConfiguredRules#TICK}) so a
 * debounce ends on time on a quiet bus.
 */
final class LiveRules implements AutoCloseable {
    private final CanChannel channel;
    private final ScheduledExecutorService repeats;
    private final FaultCodes faults = new FaultCodes();
    private final ActionDispatcher dispatcher;
    private final TickingEvaluator evaluator;

    /** @param clockNanos the clock of the channel's frame timestamps ({@link TickingEvaluator#epochClock()} for SocketCAN) */
    LiveRules(CanChannel channel, DbcDatabase db, RuleSet rules, AlertSink alerts, LongSupplier clockNanos) {
        this.channel = channel;
        this.repeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rules-can-repeats");
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new ActionDispatcher(channel::send, RepeatScheduler.of(repeats), alerts, faults, CollectionControl.NONE);
        this.evaluator = new TickingEvaluator(new FrameEvaluator(new RuleEngine(rules), db.newDecoder(), dispatcher),
                repeats, dev.vgate.agent.daemon.ConfiguredRules.TICK, clockNanos);
    }

    void start() throws CanException {
        channel.start(evaluator);
    }

    FaultCodes faults() { return faults; }

    /** CAN action frames that could not be sent (each also logged). */
    long sendFailures() { return dispatcher.sendFailures(); }

    @Override public void close() {
        channel.close();
        evaluator.close();
        repeats.shutdownNow();
    }
}
