package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;

/**
 * The receive-thread glue: decodes a frame through the DBC and feeds each signal to the engine as a sample
 * with the frame's timestamp. One per receiving thread; no allocation per frame.
 */
public final class FrameEvaluator implements SignalSink {
    private final RuleEngine engine;
    private final FrameDecoder decoder;
    private final ActionSink sink;
    private final Sample sample = new Sample();
    private long frameTime;

    public FrameEvaluator(RuleEngine engine, FrameDecoder decoder, ActionSink sink) {
        this.engine = engine;
        this.decoder = decoder;
        this.sink = sink;
    }

    /** Decodes and evaluates one received frame; error and remote frames only count as bus activity. */
    public DecodeStatus onFrame(CanFrame f) {
        frameTime = f.timestampNanos();
        sample.iface(f.iface());
        if (f.isError() || f.isRemote()) {
            engine.frameSeen(frameTime, f.iface(), sink);
            return DecodeStatus.UNKNOWN_ID;
        }
        DecodeStatus st = decoder.decode(f.id(), f.isExtended(), f.data(), f.length(), this);
        if (st != DecodeStatus.OK) engine.frameSeen(frameTime, f.iface(), sink);
        return st;
    }

    @Override public void signal(Signal signal, long raw, double value) {
        engine.evaluate(sample.set(signal.index(), value, frameTime), sink);
    }

    /** Advances the engine's clock without a frame (debounce ends, stale() on a quiet bus); same thread as onFrame. */
    public void tick(long nowNanos) {
        engine.tick(nowNanos, sink);
    }

    public RuleEngine engine() { return engine; }
}
