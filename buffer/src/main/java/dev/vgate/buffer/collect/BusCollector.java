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
    // the pre-trigger ring: the latest decoded samples of this bus, whatever the policy keeps (20 bytes each)
    private final long[] ringT;
    private final int[] ringIdx;
    private final long[] ringRaw;
    private int ringHead, ringSize;
    // the capture this collector works on
    private long captureGen = -1;
    private String captureEvent;
    private boolean[] captureSelected;
    private int[] captureStreams;
    private long capturedUpToUs = Long.MIN_VALUE;
    private long captured;

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
        int ring = owner.policy().preTriggerSamples();
        ringT = new long[ring];
        ringIdx = new int[ring];
        ringRaw = new long[ring];
    }

    /**
     * Takes over the pre-trigger ring and the capture in progress of the collector this one replaces (a live
     * DBC-set update), matching signals by message and signal name; call it on the bus's thread, before this
     * collector's first sample. Samples of signals the new DBC lacks are dropped from the ring.
     */
    public void inherit(BusCollector old) {
        java.util.Map<String, Integer> byName = new java.util.HashMap<>();
        for (int k = 0; k < signals.size(); k++) byName.put(signals.get(k).message().name() + "." + signals.get(k).name(), k);
        int cap = old.ringT.length;
        for (int n = 0, k = old.ringHead; n < old.ringSize; n++, k = k + 1 == cap ? 0 : k + 1) {
            Signal s = old.signals.get(old.ringIdx[k]);
            Integer idx = byName.get(s.message().name() + "." + s.name());
            if (idx != null) remember(idx, old.ringT[k], old.ringRaw[k]);
        }
        captureEvent = old.captureEvent;
        capturedUpToUs = old.capturedUpToUs;
        captureGen = -1; // recompute the selection for these signals at the next sample; the same event goes on
        captured = old.captured;
    }

    /** Bytes held by the pre-trigger ring (its arrays are allocated once, at construction). */
    public long ringBytes() { return 20L * ringT.length; }

    /** Samples stored for event captures on this bus. */
    public long captured() { return captured; }

    private void remember(int i, long t, long raw) {
        int cap = ringT.length;
        if (cap == 0) return;
        int k = ringHead + ringSize;
        if (k >= cap) k -= cap;
        ringT[k] = t;
        ringIdx[k] = i;
        ringRaw[k] = raw;
        if (ringSize < cap) ringSize++;
        else if (++ringHead == cap) ringHead = 0;
    }

    /** A new or widened capture: what the ring holds of its window goes in first (oldest first). */
    private void startCapture(Collector.Capture c) {
        boolean sameEvent = c.eventId().equals(captureEvent);
        captureGen = c.generation();
        if (!sameEvent) {
            captureEvent = c.eventId();
            capturedUpToUs = Long.MIN_VALUE;
        }
        if (!sameEvent || captureStreams == null) {
            captureStreams = new int[signals.size()];
            Arrays.fill(captureStreams, -1);
        }
        captureSelected = new boolean[signals.size()];
        for (int k = 0; k < captureSelected.length; k++) {
            Signal s = signals.get(k);
            captureSelected[k] = c.policy().matches(bus, s.message().name(), s.name());
        }
        int cap = ringT.length;
        if (!sameEvent && cap > 0) {
            // each signal's value at the window's start: its newest sample before it (so the capture reaches back at
            // least 'before', sample and hold), found scanning the ring backwards
            int[] seed = new int[captureSelected.length];
            Arrays.fill(seed, -1);
            for (int n = 0, k = (ringHead + ringSize - 1) % cap; n < ringSize; n++, k = k == 0 ? cap - 1 : k - 1) {
                if (ringT[k] < c.fromUs() && captureSelected[ringIdx[k]] && seed[ringIdx[k]] < 0) seed[ringIdx[k]] = k;
            }
            for (int s = 0; s < seed.length; s++) if (seed[s] >= 0) storeCaptured(s, ringT[seed[s]], ringRaw[seed[s]]);
            capturedUpToUs = Long.MIN_VALUE; // the seeds are older than the window: they do not mark it written
        }
        long written = capturedUpToUs; // fixed for the loop: the samples of one frame share their time
        for (int n = 0, k = ringHead; n < ringSize; n++, k = k + 1 == cap ? 0 : k + 1) {
            long t = ringT[k];
            if (t >= c.fromUs() && t > written && t <= c.untilUs() && captureSelected[ringIdx[k]]) storeCaptured(ringIdx[k], t, ringRaw[k]);
        }
    }

    private void storeCaptured(int i, long t, long raw) {
        try {
            int id = captureStreams[i];
            if (id < 0) {
                Signal s = signals.get(i);
                id = captureStreams[i] = owner.committer().store().streamId(new StreamInfo("capture/" + captureEvent + "/" + bus,
                        s.message().name(), s.name(), s.index(), s.message().frameId(), ValueEncoding.forSignal(s), s.factor(), s.offset()));
            }
            owner.committer().add(id, Priority.CAPTURE, t, raw);
            captured++;
            if (t > capturedUpToUs) capturedUpToUs = t;
        } catch (StoreException e) {
            failed++;
            Logger.error("captured sample of {} on {} not stored: {}", signals.get(i).name(), bus, e.getMessage());
        }
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
        long now = timestampUs;
        Collector.Capture c = owner.capture();
        if (c != null) {
            if (c.generation() != captureGen) startCapture(c);
            if (now >= c.fromUs() && now <= c.untilUs() && captureSelected[i]) storeCaptured(i, now, raw); // full rate, whatever the policy
        }
        remember(i, now, raw);
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
