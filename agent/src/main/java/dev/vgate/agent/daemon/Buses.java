package dev.vgate.agent.daemon;

import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.BusKind;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.rules.CanFrameSender;
import dev.vgate.rules.TickingEvaluator;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The daemon's buses while they run: each open bus's channel, current pipeline and pipeline switch, and the
 * in-process buses of {@code virtual} and {@code replay} bus configs. What sends on a bus (rule actions, CAN
 * commands) and the clock the rules tick on are answered here.
 */
final class Buses {
    private static final LongSupplier EPOCH = TickingEvaluator.epochClock();
    private final List<BusConfig> configs;
    private final Map<String, VirtualBus> virtualBuses = new ConcurrentHashMap<>();
    private final Map<String, CanChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, BusPipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, PipelineSwitch> switches = new ConcurrentHashMap<>();

    /** @param handedIn in-process buses an embedding program hands in, by bus name (others are created) */
    Buses(List<BusConfig> configs, Map<String, VirtualBus> handedIn) {
        this.configs = configs;
        virtualBuses.putAll(handedIn);
    }

    /** The in-process bus of {@code busName}, created (named {@code iface}) at its first use. */
    VirtualBus virtual(String busName, String iface) { return virtualBuses.computeIfAbsent(busName, n -> new VirtualBus(iface)); }

    /** The in-process bus of {@code busName}, or null. */
    VirtualBus virtual(String busName) { return virtualBuses.get(busName); }

    BusPipeline pipeline(String bus) { return pipelines.get(bus); }

    Collection<BusPipeline> pipelines() { return pipelines.values(); }

    PipelineSwitch pipelineSwitch(String bus) { return switches.get(bus); }

    void pipelineSwitched(String bus, BusPipeline p) { pipelines.put(bus, p); }

    void switchOpened(String bus, PipelineSwitch s) { switches.put(bus, s); }

    void channelOpened(String bus, CanChannel ch) { channels.put(bus, ch); }

    void channelClosed(String bus) { channels.remove(bus); }

    /** Rule actions: to the named bus, or to the first configured one. */
    CanFrameSender ruleSender() {
        String first = configs.get(0).name();
        return new CanFrameSender() {
            @Override public void send(CanFrame frame) throws CanException { send(first, frame); }

            @Override public void send(String bus, CanFrame frame) throws CanException {
                String name = bus == null ? first : bus;
                CanChannel ch = channels.get(name);
                if (ch == null) throw new CanException("bus " + name + " is not open");
                ch.send(frame);
            }
        };
    }

    /** CAN commands go out on the first bus vgate can transmit on (replay buses only receive). */
    void sendCommandFrame(CanFrame frame) throws IOException {
        for (BusConfig b : configs) {
            if (b.kind() == BusKind.REPLAY) continue;
            CanChannel ch = channels.get(b.name());
            if (ch == null) throw new IOException("bus " + b.name() + " is not open");
            try {
                ch.send(frame);
                return;
            } catch (CanException e) {
                throw new IOException("bus " + b.name() + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("no bus vgate can transmit on (replay buses only receive)");
    }

    /**
     * The clock of the frames' timestamps, which the rule engine's timer tick must follow (the engine's time
     * is the frames' time, and a tick ahead of that clock would make the next frames count as late).
     * SocketCAN frames carry the kernel's receive time, epoch nanoseconds. Virtual buses stamp every frame
     * with their own clock when it is delivered: epoch time (millisecond resolution) for the ones the daemon
     * creates, and so for replay buses too (the replayer sends the log's frames through a virtual bus, which
     * re-stamps them with the time of delivery, not the log's time); a bus handed in by an embedding program
     * may run on its own clock (the demo's trace time). With several buses the tick takes the earliest of
     * their clocks, so it never runs ahead of any bus; buses whose clocks disagree cannot share one engine
     * time anyway. Before the first bus is open there is no clock: Long.MIN_VALUE (the tick does nothing).
     */
    long frameClockNanos() {
        long min = Long.MAX_VALUE;
        for (BusConfig b : configs) {
            long t;
            if (b.kind() == BusKind.SOCKETCAN) {
                t = EPOCH.getAsLong();
            } else {
                VirtualBus vb = virtualBuses.get(b.name());
                if (vb == null) continue;
                t = vb.clockNanos().getAsLong();
            }
            min = Math.min(min, t);
        }
        return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
    }
}
