package dev.vgate.dbc;

import java.util.List;

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
        for (CompiledSignal s : signalArray) {
            if (!s.decodable) continue;
            if (s.layout.littleEndian) hasLittleEndian = true;
            else hasBigEndian = true;
        }
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
