package dev.vgate.agent.daemon;

import dev.vgate.agent.config.BusConfig;
import dev.vgate.agent.config.IdRange;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanCounters;
import dev.vgate.canbus.CanIdFilter;
import dev.vgate.canbus.CandumpReader;
import dev.vgate.canbus.LogReplayer;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.canbus.VirtualBus;
import org.tinylog.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One configured bus of {@code vgate run}: opens its channel (SocketCAN, an in-process virtual bus, or a
 * candump recording replayed through one) and starts it on the bus's pipeline behind a {@link PipelineSwitch},
 * so a DBC-set update can hand it the next pipeline. Buses start after every consumer of their frames.
 */
final class BusPart implements Service {
    private final BusConfig bus;
    private final Buses buses;
    private final Function<String, BusPipeline> newPipeline;
    private final BooleanSupplier stopping;
    private CanChannel channel;
    private Thread replayer;
    private volatile long replayedFrames;

    /**
     * @param buses       where the bus's channel, pipeline and switch are registered (and its virtual bus found)
     * @param newPipeline the pipeline for a bus, by name (decoders, rules, telemetry, last-known values)
     * @param stopping    whether the daemon stops (a looping replay ends)
     */
    BusPart(BusConfig bus, Buses buses, Function<String, BusPipeline> newPipeline, BooleanSupplier stopping) {
        this.bus = bus;
        this.buses = buses;
        this.newPipeline = newPipeline;
        this.stopping = stopping;
    }

    @Override public String name() { return "bus:" + bus.name(); }

    @Override public void start() throws Exception {
        BusPipeline pipeline = newPipeline.apply(bus.name());
        PipelineSwitch handler = new PipelineSwitch(pipeline, p -> buses.pipelineSwitched(bus.name(), p));
        buses.switchOpened(bus.name(), handler);
        channel = open();
        channel.start(handler);
        buses.channelOpened(bus.name(), channel);
    }

    private CanChannel open() throws Exception {
        switch (bus.kind()) {
            case SOCKETCAN:
                return SocketCanChannel.open(bus.iface(), SocketCanConfig.defaults().withFilter(filter()));
            case VIRTUAL:
                return buses.virtual(bus.name(), bus.iface() == null ? bus.name() : bus.iface()).newChannel();
            default: {
                VirtualBus vb = buses.virtual(bus.name(), bus.name());
                CanChannel in = vb.newChannel();
                CanChannel feed = vb.newChannel();
                replayer = new Thread(() -> replay(feed), "replay-" + bus.name());
                replayer.setDaemon(true);
                replayer.start();
                return in;
            }
        }
    }

    private void replay(CanChannel feed) {
        LogReplayer r = new LogReplayer();
        do {
            try (CandumpReader log = CandumpReader.open(bus.log(), CandumpReader.BadLineListener.LOG)) {
                LogReplayer.Result res = r.replay(log, feed, bus.iface(), bus.speed());
                replayedFrames += res.framesSent();
                Logger.info("replay of {} done: {} frames", bus.log(), res.framesSent());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                Logger.error("replay of {} failed: {}", bus.log(), e.getMessage());
                return;
            }
        } while (bus.loop() && !stopping.getAsBoolean());
    }

    /**
     * Waits until a replay bus that does not loop has played its log once and its pipeline has handled every frame
     * of it (or the bus's queue dropped it); returns at once for other buses.
     */
    void awaitReplayed() throws InterruptedException {
        if (replayer == null || bus.loop()) return;
        replayer.join();
        while (handled() < replayedFrames) Thread.sleep(5);
    }

    private long handled() {
        BusPipeline p = buses.pipeline(bus.name());
        return (p == null ? 0 : p.frames()) + channel.counters().drops();
    }

    private CanIdFilter filter() {
        if (bus.idFilter().isEmpty()) return CanIdFilter.ALL;
        List<Integer> std = new ArrayList<>();
        List<Integer> ext = new ArrayList<>();
        for (IdRange r : bus.idFilter()) {
            for (long id = r.from(); id <= r.to() && std.size() + ext.size() < 4096; id++) (id <= 0x7FF ? std : ext).add((int) id);
        }
        return CanIdFilter.of(std, ext);
    }

    @Override public void stop() {
        if (replayer != null) replayer.interrupt();
        if (channel != null) channel.close();
        buses.channelClosed(bus.name());
    }

    @Override public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        BusPipeline p = buses.pipeline(bus.name());
        if (p != null) m.putAll(p.status());
        if (channel != null) {
            CanCounters c = channel.counters();
            m.put("frames_in", c.framesIn());
            m.put("frames_out", c.framesOut());
            m.put("errors", c.errors());
        }
        return m;
    }
}
