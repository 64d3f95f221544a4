package dev.vgate.agent.cli.dbc;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DecodeStatus;
import dev.vgate.dbc.FrameDecoder;
import dev.vgate.dbc.SignalSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes frames of several buses with several DBCs: a frame is offered to the DBCs bound to its bus
 * first, then to the unbound ones, in command-line order; the first DBC that knows the id decides
 * (decoded, or refused for its length or multiplexer). Not thread-safe.
 */
public final class BusDecoder {
    private final List<DbcBinding> bindings;
    private final FrameDecoder[] decoders;
    private final Map<String, int[]> orderByBus = new HashMap<>();
    private FrameDecoder last;

    public BusDecoder(List<DbcBinding> bindings) {
        this.bindings = List.copyOf(bindings);
        this.decoders = new FrameDecoder[bindings.size()];
        for (int k = 0; k < decoders.length; k++) decoders[k] = bindings.get(k).db().newDecoder();
    }

    public DecodeStatus decode(CanFrame f, SignalSink sink) {
        int[] order = orderByBus.computeIfAbsent(f.iface(), this::orderFor);
        DecodeStatus st = DecodeStatus.UNKNOWN_ID;
        last = order.length > 0 ? decoders[order[0]] : null;
        for (int k : order) {
            st = decoders[k].decode(f.id(), f.isExtended(), f.data(), f.length(), sink);
            last = decoders[k];
            if (st != DecodeStatus.UNKNOWN_ID) return st;
        }
        return st;
    }

    /** The decoder that gave the last answer (for its {@code lastMessage()} and {@code lastError()}); null without DBCs. */
    public FrameDecoder last() { return last; }

    public List<DbcBinding> bindings() { return bindings; }

    private int[] orderFor(String bus) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < bindings.size(); k++) if (bindings.get(k).bus() != null && bindings.get(k).bus().equals(bus)) order.add(k);
        for (int k = 0; k < bindings.size(); k++) if (bindings.get(k).bus() == null) order.add(k);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
