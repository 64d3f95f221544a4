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

    /**
     * For samples decoded elsewhere ({@link #evaluate}, {@link #frameSeen}): the daemon's bus pipelines decode
     * each frame once for the rules, telemetry and the last-known values. {@link #onFrame} is not available.
     */
    public FrameEvaluator(RuleEngine engine, ActionSink sink) {
        this(engine, null, sink);
    }

    /** Decodes and evaluates one received frame; error and remote frames only count as bus activity. */
    public DecodeStatus onFrame(CanFrame f) {
        if (decoder == null) throw new IllegalStateException("this evaluator takes decoded samples, not frames");
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

    /**
     * The samples one frame decoded to, all stamped {@code timestampNanos}: {@code signalIndex[k]} in the
     * engine's index space (see {@link MultiBusDbc#offset}) with {@code values[k]}, for k below {@code n}.
     */
    public void evaluate(String iface, long timestampNanos, int[] signalIndex, double[] values, int n) {
        sample.iface(iface);
        for (int k = 0; k < n; k++) engine.evaluate(sample.set(signalIndex[k], values[k], timestampNanos), sink);
    }

    /** A frame that carried no signal for the engine (unknown id, refused, error or remote frame): bus activity. */
    public void frameSeen(long timestampNanos, String iface) {
        engine.frameSeen(timestampNanos, iface, sink);
    }

    /** Advances the engine's clock without a frame (debounce ends, stale() on a quiet bus); same thread as onFrame. */
    public void tick(long nowNanos) {
        engine.tick(nowNanos, sink);
    }

    public RuleEngine engine() { return engine; }
}
