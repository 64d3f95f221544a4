package dev.vgate.buffer.collect;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.policy.CollectionPolicy;
import dev.vgate.buffer.policy.Mode;
import dev.vgate.buffer.policy.SignalPolicy;
import dev.vgate.buffer.store.StoreException;
import dev.vgate.buffer.store.StreamInfo;
import dev.vgate.dbc.Signal;
import dev.vgate.dbc.SignalSink;
import org.tinylog.Logger;

import java.util.Arrays;
import java.util.List;

/**
 * The {@link SignalSink} of one bus: set the frame's timestamp with {@link #frame(long)}, then let the decoder
 * call {@link #signal}. Per-signal policy and state live in arrays indexed by {@link Signal#index()}, so a
 * sample costs a few array reads and, when kept, two array stores; nothing is allocated per sample.
 * Not thread-safe: one instance per receive thread.
 */
public final class BusCollector implements SignalSink {
    private final Collector owner;
    private final String bus;
    private final List<? extends Signal> signals;
    private CollectionPolicy compiledFor;
    private SignalPolicy[] policies;
    private final int[] streamIds;
    private final boolean[] kept;
    private final long[] lastTs;
    private final double[] lastValue;
    private final long[] adaptiveInterval;
    private long timestampUs;
    private long dropped;
    private long failed;

    BusCollector(Collector owner, String bus, List<? extends Signal> signals) {
        this.owner = owner;
        this.bus = bus;
        this.signals = signals;
        int n = signals.size();
        streamIds = new int[n];
        Arrays.fill(streamIds, -1);
        kept = new boolean[n];
        lastTs = new long[n];
        lastValue = new double[n];
        adaptiveInterval = new long[n];
    }

    public String bus() { return bus; }

    /** Sets the timestamp (µs) of the frame whose signals follow. */
    public void frame(long timestampUs) { this.timestampUs = timestampUs; }

    /** Feeds one decoded sample with an explicit timestamp (for callers without a decoder). */
    public void sample(Signal signal, long raw, double value, long timestampUs) {
        this.timestampUs = timestampUs;
        signal(signal, raw, value);
    }

    @Override public void signal(Signal signal, long raw, double value) {
        CollectionPolicy current = owner.policy();
        if (current != compiledFor) compile(current);
        int i = signal.index();
        SignalPolicy p = policies[i];
        if (p == null) p = policies[i] = current.resolve(bus, signal.message().name(), signal.name());
        if (p.mode() == Mode.OFF) return;
        long t = timestampUs;
        if (!keep(p, i, t, value)) {
            dropped++;
            owner.committer().countDownsampled();
            return;
        }
        kept[i] = true;
        lastTs[i] = t;
        lastValue[i] = value;
        int id = streamIds[i];
        try {
            if (id < 0) id = streamIds[i] = owner.committer().store().streamId(streamInfo(signal));
            if (p.priority() == Priority.ALERT) owner.committer().addAlert(id, t, raw, owner.clock().millis());
            else owner.committer().add(id, p.priority(), t, raw);
        } catch (StoreException e) {
            failed++;
            Logger.error("telemetry sample of {} on {} not stored: {}", signal.name(), bus, e.getMessage());
        }
    }

    private boolean keep(SignalPolicy p, int i, long t, double value) {
        if (!kept[i]) {
            adaptiveInterval[i] = p.intervalUs();
            return true;
        }
        long since = t - lastTs[i];
        switch (p.mode()) {
            case EVERY:
                return true;
            case ON_CHANGE:
                return moved(p, i, value);
            case MAX_RATE:
                return since >= p.intervalUs();
            case ADAPTIVE:
                if (moved(p, i, value)) {
                    adaptiveInterval[i] = p.intervalUs();
                    return since >= p.intervalUs();
                }
                if (since < Math.max(adaptiveInterval[i], p.intervalUs())) return false;
                adaptiveInterval[i] = Math.min(Math.max(2 * adaptiveInterval[i], 1000), p.maxIntervalUs());
                return true;
            default:
                return false;
        }
    }

    private boolean moved(SignalPolicy p, int i, double value) {
        double last = lastValue[i];
        if (p.deadband() == 0) return Double.doubleToLongBits(value) != Double.doubleToLongBits(last);
        return Math.abs(value - last) > p.deadband() || Double.isNaN(value) != Double.isNaN(last);
    }

    private void compile(CollectionPolicy policy) {
        policies = new SignalPolicy[signals.size()];
        compiledFor = policy;
    }

    private StreamInfo streamInfo(Signal s) {
        return new StreamInfo(bus, s.message().name(), s.name(), s.index(), s.message().frameId(),
                ValueEncoding.forSignal(s), s.factor(), s.offset());
    }

    /** Samples dropped by the policy on this bus. */
    public long dropped() { return dropped; }

    /** Samples lost because the store failed (each is logged). */
    public long failed() { return failed; }
}
