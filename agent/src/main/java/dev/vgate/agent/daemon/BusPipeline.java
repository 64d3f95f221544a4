package dev.vgate.agent.daemon;

import dev.vgate.buffer.collect.BusCollector;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.FrameHandler;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.TickingEvaluator;
import org.tinylog.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to every frame of one bus, on its receive thread: decode once, then hand the signals to the
 * edge rules (first: they act), the telemetry collector and the last-known values. Several DBCs may describe
 * one bus; the first that knows the frame id decodes it. Nothing is allocated per frame.
 * <p>
 * The rule engine is shared by every bus's pipeline (a rule may read signals of several buses), so it sits
 * behind the {@link TickingEvaluator}'s lock. A frame's signals are collected into preallocated arrays while
 * it is decoded, evaluated by the rules in one locked call (one lock per frame), then passed on to the
 * collector and the last-known values. The evaluator's timer ticks the engine while the buses are quiet;
 * the pipeline does not tick.
 */
public final class BusPipeline implements FrameHandler {
    /**
     * The rules a pipeline feeds: every bus's DBCs as one index space and the locked, ticking engine with its
     * actions; {@link #NONE} without rules. One implementation per daemon, so the per-frame calls stay monomorphic.
     */
    public interface RulesBinding {
        /** Where {@code db}'s signals start in the rules' index space on {@code bus}; -1: the rules read none of them. */
        int offset(String bus, DbcDatabase db);

        /** One frame's signals, evaluated in one locked call. */
        void evaluate(String iface, long timestampNanos, int[] signalIndex, double[] values, int n);

        /** A frame without signals for the rules: still bus activity (stale()). */
        void frameSeen(long timestampNanos, String iface);

        /** No rules configured: no signal is held for them and every call does nothing. */
        RulesBinding NONE = new RulesBinding() {
            @Override public int offset(String bus, DbcDatabase db) { return -1; }

            @Override public void evaluate(String iface, long t, int[] signalIndex, double[] values, int n) { }

            @Override public void frameSeen(long t, String iface) { }
        };

        static RulesBinding of(MultiBusDbc dbc, TickingEvaluator rules) {
            return new RulesBinding() {
                @Override public int offset(String bus, DbcDatabase db) {
                    int offset = dbc.offset(bus, db);
                    if (offset < 0) throw new IllegalArgumentException("the rules do not know " + db + " on bus " + bus);
                    return offset;
                }

                @Override public void evaluate(String iface, long t, int[] signalIndex, double[] values, int n) {
                    rules.evaluate(iface, t, signalIndex, values, n);
                }

                @Override public void frameSeen(long t, String iface) { rules.frameSeen(t, iface); }
            };
        }
    }

    private final String bus;
    private final Decoding[] decodings;
    private final RulesBinding rules;
    // the current frame's signals, held for the rules (which go first) and then passed on; empty without rules
    private final int[] ruleIndex;
    private final double[] ruleValue;
    private final Signal[] heldSignal;
    private final long[] heldRaw;
    private int held;
    private Decoding heldBy;
    private long frames;
    private long decoded;
    private long unknown;
    private long refused;
    private long errorFrames;

    /** One DBC's decoder and the consumers of its signals. */
    private final class Decoding implements SignalSink {
        final FrameDecoder decoder;
        final DbcDatabase db;
        volatile TelemetryTap telemetry = TelemetryTap.OFF; // replaced when the telemetry part comes up (or goes)
        final LastKnownValues.Table values;
        /** Where this DBC's signals start in the rule engine's index space; -1 without rules. */
        final int ruleOffset;
        long tMs;

        Decoding(DbcDatabase db, LastKnownValues.Table values, int ruleOffset) {
            this.decoder = db.newDecoder();
            this.db = db;
            this.values = values;
            this.ruleOffset = ruleOffset;
        }

        @Override public void signal(Signal s, long raw, double value) {
            if (ruleOffset >= 0 && held < ruleIndex.length) {
                ruleIndex[held] = ruleOffset + s.index();
                ruleValue[held] = value;
                heldSignal[held] = s;
                heldRaw[held++] = raw;
                heldBy = this;
            } else {
                passOn(s, raw, value);
            }
        }

        void passOn(Signal s, long raw, double value) {
            telemetry.signal(s, raw, value);
            values.update(s, raw, value, tMs);
        }
    }

    /** Telemetry starts {@link TelemetryTap#OFF}: {@link #attachTelemetry} wires it in when the telemetry part is up. */
    public BusPipeline(String bus, List<DbcDatabase> dbcs, LastKnownValues values, RulesBinding rules) {
        this.bus = bus;
        this.rules = rules;
        this.decodings = new Decoding[dbcs.size()];
        int n = 0; // the most signals a frame the rules read can carry
        for (int i = 0; i < dbcs.size(); i++) {
            DbcDatabase db = dbcs.get(i);
            int offset = rules.offset(bus, db);
            decodings[i] = new Decoding(db, values.tableFor(db), offset);
            if (offset < 0) continue;
            for (dev.vgate.dbc.Message m : db.messages()) n = Math.max(n, m.signals().size());
        }
        this.ruleIndex = new int[n];
        this.ruleValue = new double[n];
        this.heldSignal = new Signal[n];
        this.heldRaw = new long[n];
    }

    @Override public void onFrame(CanFrame f) {
        handle(f);
        frames++; // after the frame's samples, rules and values are done: frames() counts finished work
    }

    private void handle(CanFrame f) {
        long t = f.timestampNanos();
        if (f.isError() || f.isRemote()) {
            if (f.isError()) errorFrames++;
            rules.frameSeen(t, f.iface());
            return;
        }
        DecodeStatus status = DecodeStatus.UNKNOWN_ID;
        held = 0;
        for (Decoding d : decodings) {
            d.tMs = t / 1_000_000L;
            d.telemetry.frame(t / 1000L);
            status = d.decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), d);
            if (status != DecodeStatus.UNKNOWN_ID) break;
        }
        switch (status) {
            case OK -> decoded++;
            case UNKNOWN_ID -> unknown++;
            default -> refused++;
        }
        if (held > 0) { // never without rules: nothing is held for them
            rules.evaluate(f.iface(), t, ruleIndex, ruleValue, held);
            for (int k = 0; k < held; k++) heldBy.passOn(heldSignal[k], heldRaw[k], ruleValue[k]);
        } else {
            rules.frameSeen(t, f.iface()); // a frame is bus activity even without signals (stale())
        }
        if (status == DecodeStatus.OK && decoded == 1) {
            firstDecoded(f);
        }
    }

    /** Start-up time as an operator sees it: from the JVM's start to the first signal values (docs/benchmarks.md). */
    private void firstDecoded(CanFrame f) {
        Logger.info("bus {}: first frame decoded (id 0x{}) {} ms after the JVM started", bus, Integer.toHexString(f.id()),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    }

    public String bus() { return bus; }

    /** Sends each DBC's signals to the tap {@code taps} gives for it, from the next frame on. */
    public void attachTelemetry(java.util.function.Function<DbcDatabase, TelemetryTap> taps) {
        for (Decoding d : decodings) d.telemetry = taps.apply(d.db);
    }

    /** Whether this bus's signals go to telemetry now (status: "collecting" or "off"). */
    public boolean collecting() {
        for (Decoding d : decodings) if (d.telemetry == TelemetryTap.OFF) return false;
        return true;
    }

    /** Continues the counters of the pipeline this one replaces (a live DBC-set update), on the bus's thread. */
    void inherit(BusPipeline old) {
        frames = old.frames;
        decoded = old.decoded;
        unknown = old.unknown;
        refused = old.refused;
        errorFrames = old.errorFrames;
        for (Decoding d : decodings) {
            BusCollector c = d.telemetry.collector();
            if (c == null) continue;
            for (Decoding od : old.decodings) {
                BusCollector oc = od.telemetry.collector();
                if (oc != null) c.inherit(oc); // ring and capture go on
            }
        }
    }

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
        m.put("telemetry", collecting() ? "collecting" : "off");
        return m;
    }
}
