package dev.vgate.agent.daemon;

import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.FrameHandler;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;
import dev.vgate.rules.ActionSink;
import dev.vgate.rules.RuleEngine;
import dev.vgate.rules.Sample;
import org.tinylog.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to every frame of one bus, on its receive thread: decode once, then hand each signal to the
 * edge rules (first: they act), the telemetry collector and the last-known values. Several DBCs may describe
 * one bus; the first that knows the frame id decodes it. Nothing is allocated per frame.
 */
public final class BusPipeline implements FrameHandler {
    /** The rules that watch this bus: their engine and where their actions go. */
    public record RulesBinding(DbcDatabase db, RuleEngine engine, ActionSink actions) {}

    private static final long TICK_NANOS = 10_000_000L;

    private final String bus;
    private final Decoding[] decodings;
    private final RuleEngine rules;
    private final ActionSink actions;
    private final Sample sample = new Sample();
    private long lastTickNanos;
    private long frames;
    private long decoded;
    private long unknown;
    private long refused;
    private long errorFrames;

    /** One DBC's decoder and the consumers of its signals. */
    private final class Decoding implements SignalSink {
        final FrameDecoder decoder;
        final BusCollector collector;
        final LastKnownValues.Table values;
        final boolean ruled;
        long tNanos;
        long tMs;

        Decoding(DbcDatabase db, BusCollector collector, LastKnownValues.Table values, boolean ruled) {
            this.decoder = db.newDecoder();
            this.collector = collector;
            this.values = values;
            this.ruled = ruled;
        }

        @Override public void signal(Signal s, long raw, double value) {
            if (ruled) rules.evaluate(sample.set(s.index(), value, tNanos), actions);
            if (collector != null) collector.signal(s, raw, value);
            values.update(s, raw, value, tMs);
        }
    }

    public BusPipeline(String bus, List<DbcDatabase> dbcs, Map<DbcDatabase, BusCollector> collectors,
                       LastKnownValues values, RulesBinding rulesBinding) {
        this.bus = bus;
        this.rules = rulesBinding == null ? null : rulesBinding.engine();
        this.actions = rulesBinding == null ? null : rulesBinding.actions();
        this.decodings = new Decoding[dbcs.size()];
        for (int i = 0; i < dbcs.size(); i++) {
            DbcDatabase db = dbcs.get(i);
            decodings[i] = new Decoding(db, collectors.get(db), values.table(db), rulesBinding != null && rulesBinding.db() == db);
        }
    }

    @Override public void onFrame(CanFrame f) {
        handle(f);
        frames++; // after the frame's samples, rules and values are done: frames() counts finished work
    }

    private void handle(CanFrame f) {
        long t = f.timestampNanos();
        if (rules != null) {
            sample.iface(f.iface());
            if (t - lastTickNanos >= TICK_NANOS) {
                lastTickNanos = t;
                rules.tick(t, actions); // stale-signal checks run while frames (the bus) are alive
            }
        }
        if (f.isError() || f.isRemote()) {
            if (f.isError()) errorFrames++;
            if (rules != null) rules.frameSeen(t, f.iface(), actions);
            return;
        }
        DecodeStatus status = DecodeStatus.UNKNOWN_ID;
        for (Decoding d : decodings) {
            d.tNanos = t;
            d.tMs = t / 1_000_000L;
            if (d.collector != null) d.collector.frame(t / 1000L);
            status = d.decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), d);
            if (status != DecodeStatus.UNKNOWN_ID) break;
        }
        switch (status) {
            case OK -> decoded++;
            case UNKNOWN_ID -> unknown++;
            default -> refused++;
        }
        if (status != DecodeStatus.OK) {
            if (rules != null) rules.frameSeen(t, f.iface(), actions);
        } else if (decoded == 1) {
            firstDecoded(f);
        }
    }

    /** Start-up time as an operator sees it: from the JVM's start to the first signal values (docs/benchmarks.md). */
    private void firstDecoded(CanFrame f) {
        Logger.info("bus {}: first frame decoded (id 0x{}) {} ms after the JVM started", bus, Integer.toHexString(f.id()),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    }

    public String bus() { return bus; }

    public long framesDecoded() { return decoded; }

    /** Frames handled so far (read from other threads: a recent value, not a synchronized one). */
    public long frames() { return (long) FRAMES.getOpaque(this); }

    private static final java.lang.invoke.VarHandle FRAMES;

    static {
        try {
            FRAMES = java.lang.invoke.MethodHandles.lookup().findVarHandle(BusPipeline.class, "frames", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", frames);
        m.put("decoded", decoded);
        m.put("unknown_id", unknown);
        m.put("refused", refused);
        m.put("error_frames", errorFrames);
        return m;
    }
}
