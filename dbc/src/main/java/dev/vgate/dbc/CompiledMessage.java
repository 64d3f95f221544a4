package dev.vgate.dbc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A message with its signals in DBC order and what the decoder needs to walk them. */
final class CompiledMessage implements Message {
    private final int index;
    private final String name;
    private final int frameId;
    private final boolean extended;
    private final int length;
    private final boolean fd;
    private final int cycleTimeMs;
    private final List<String> senders;
    private final String comment;
    private List<Signal> signals = List.of();
    /** Signals in DBC order (same as {@link #signals()}), as an array for the hot path. */
    CompiledSignal[] signalArray = new CompiledSignal[0];
    /** Positions of switch signals, each after its own switch: evaluated first to find the active group. */
    int[] switchOrder = new int[0];
    boolean hasLittleEndian;
    boolean hasBigEndian;
    // the classic-frame hot path, as flat arrays over the decodable signals (structure of arrays)
    CompiledSignal[] fastSignals = new CompiledSignal[0];
    boolean[] fastLittleEndian = new boolean[0];
    int[] fastShift = new int[0];
    long[] fastMask = new long[0];
    /** 64 - length for signed integers (sign extension by shift pair), 0 for the rest. */
    int[] fastSignShift = new int[0];
    /** True where toPhysical is a plain raw * factor + offset. */
    boolean[] fastLinear = new boolean[0];
    double[] fastFactor = new double[0];
    double[] fastOffset = new double[0];
    private volatile Map<String, Integer> positions;

    CompiledMessage(int index, String name, int frameId, boolean extended, int length, boolean fd, int cycleTimeMs,
                    List<String> senders, String comment) {
        this.index = index;
        this.name = name;
        this.frameId = frameId;
        this.extended = extended;
        this.length = length;
        this.fd = fd;
        this.cycleTimeMs = cycleTimeMs;
        this.senders = List.copyOf(senders);
        this.comment = comment;
    }

    void setSignals(List<CompiledSignal> list, int[] switchOrder) {
        this.signals = List.copyOf(list);
        this.signalArray = list.toArray(new CompiledSignal[0]);
        this.switchOrder = switchOrder;
        int n = 0;
        for (CompiledSignal s : signalArray) {
            if (!s.decodable) continue;
            if (s.layout.littleEndian) hasLittleEndian = true;
            else hasBigEndian = true;
            n++;
        }
        fastSignals = new CompiledSignal[n];
        fastLittleEndian = new boolean[n];
        fastShift = new int[n];
        fastMask = new long[n];
        fastSignShift = new int[n];
        fastLinear = new boolean[n];
        fastFactor = new double[n];
        fastOffset = new double[n];
        int k = 0;
        for (CompiledSignal s : signalArray) {
            if (!s.decodable) continue;
            fastSignals[k] = s;
            fastLittleEndian[k] = s.layout.littleEndian;
            fastShift[k] = s.layout.wordShift;
            fastMask[k] = s.layout.mask;
            boolean integer = s.valueType() == Signal.ValueType.INTEGER;
            fastSignShift[k] = integer && s.isSigned() ? 64 - s.layout.length : 0;
            fastLinear[k] = integer && (s.isSigned() || s.layout.length < 64);
            fastFactor[k] = s.factor();
            fastOffset[k] = s.offset();
            k++;
        }
    }

    /** Signal name → position (the first of duplicates), for the encoder. */
    Map<String, Integer> positionsByName() {
        Map<String, Integer> p = positions;
        if (p == null) {
            Map<String, Integer> built = new HashMap<>();
            for (int k = signalArray.length - 1; k >= 0; k--) built.put(signalArray[k].name(), k);
            positions = p = Map.copyOf(built);
        }
        return p;
    }

    boolean isMultiplexed() { return switchOrder.length > 0; }

    @Override public int index() { return index; }
    @Override public String name() { return name; }
    @Override public int frameId() { return frameId; }
    @Override public boolean isExtended() { return extended; }
    @Override public int length() { return length; }
    @Override public boolean isFd() { return fd; }
    @Override public int cycleTimeMs() { return cycleTimeMs; }
    @Override public List<String> senders() { return senders; }
    @Override public List<Signal> signals() { return signals; }
    @Override public String comment() { return comment; }

    @Override public String toString() {
        return name + " (" + (extended ? String.format("0x%08X", frameId) : String.format("0x%03X", frameId)) + ", " + length + " bytes)";
    }
}
