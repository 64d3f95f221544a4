package dev.vgate.rules;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcEncodeException;
import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DBCs of every bus as one {@link RuleDbc}, so one rule set can read signals from any bus and send
 * frames to any bus.
 * <p>
 * Each (bus, DBC) pair gets its own range of the rule engine's signal index space (a DBC listed on two buses
 * is two ranges: the same signal on two buses is two different values), see {@link #offset}.
 * <p>
 * Names: {@code Sig} and {@code Msg.Sig} resolve against every bus's DBCs and must match exactly one signal;
 * {@code bus.Sig} and {@code bus.Msg.Sig} only look at that bus's DBCs. A name that matches on more than one
 * bus (or in two DBCs of one bus) is not guessed: the load fails and the message lists the qualified names of
 * every match. Messages (the {@code can} action) resolve the same way ({@code Msg} or {@code bus.Msg}), and
 * {@link #messageBus} says which bus the frame goes out on.
 */
public final class MultiBusDbc implements RuleDbc {
    private record Entry(String bus, DbcDatabase db, int offset, Signal[] signals) {}

    private record Match<T>(Entry entry, T item) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, List<Entry>> byBus = new LinkedHashMap<>();
    private final Map<Message, DbcDatabase> owner = new IdentityHashMap<>();
    private final int signalCount;

    private MultiBusDbc(Map<String, List<DbcDatabase>> busDbcs) {
        int offset = 0;
        for (Map.Entry<String, List<DbcDatabase>> b : busDbcs.entrySet()) {
            List<Entry> list = new ArrayList<>();
            for (DbcDatabase db : b.getValue()) {
                boolean dup = false;
                for (Entry e : list) dup |= e.db == db;
                if (dup) continue;
                List<Signal> sigs = db.signals();
                Signal[] wrapped = new Signal[sigs.size()];
                for (int k = 0; k < wrapped.length; k++) wrapped[k] = new BusSignal(sigs.get(k), offset + k);
                Entry e = new Entry(b.getKey(), db, offset, wrapped);
                list.add(e);
                entries.add(e);
                for (Message m : db.messages()) owner.put(m, db);
                offset += wrapped.length;
            }
            byBus.put(b.getKey(), list);
        }
        this.signalCount = offset;
    }

    /** Every bus's DBCs, by bus name in configuration order. */
    public static MultiBusDbc of(Map<String, List<DbcDatabase>> busDbcs) {
        return new MultiBusDbc(busDbcs);
    }

    /**
     * Where the signals of {@code db} received on {@code bus} start in the rule engine's index space: the
     * engine's index of a decoded signal {@code s} is {@code offset + s.index()}. -1 if the pair is unknown.
     */
    public int offset(String bus, DbcDatabase db) {
        for (Entry e : byBus.getOrDefault(bus, List.of())) if (e.db == db) return e.offset;
        return -1;
    }

    public List<String> buses() { return List.copyOf(byBus.keySet()); }

    @Override public Signal signal(String name) {
        List<Match<Signal>> m = signalMatches(name);
        return m.size() == 1 ? m.get(0).item() : null;
    }

    @Override public Message message(String name) {
        List<Match<Message>> m = messageMatches(name);
        return m.size() == 1 ? m.get(0).item() : null;
    }

    @Override public String messageBus(String name) {
        List<Match<Message>> m = messageMatches(name);
        return m.size() == 1 ? m.get(0).entry().bus() : null;
    }

    @Override public int signalCount() { return signalCount; }

    @Override public byte[] encode(Message message, Map<String, ?> values) throws DbcEncodeException {
        DbcDatabase db = owner.get(message);
        if (db == null) throw new IllegalArgumentException("message " + message.name() + " is not in any bus's DBC");
        return db.encoder().encode(message, values);
    }

    @Override public String unknownSignal(String name) {
        List<Match<Signal>> m = signalMatches(name);
        if (m.size() > 1) {
            List<String> q = new ArrayList<>();
            for (Match<Signal> x : m) q.add(x.entry().bus() + "." + x.item().message().name() + "." + x.item().name());
            return "signal '" + name + "' is ambiguous: " + where(m) + "; qualify it as one of " + String.join(", ", q);
        }
        return "unknown signal '" + name + "' (not in the DBC of any bus (" + String.join(", ", byBus.keySet())
                + "), or not unique in its DBC: then write Message.Signal)";
    }

    @Override public String unknownMessage(String name) {
        List<Match<Message>> m = messageMatches(name);
        if (m.size() > 1) {
            List<String> q = new ArrayList<>();
            for (Match<Message> x : m) q.add(x.entry().bus() + "." + x.item().name());
            return "message '" + name + "' is ambiguous: " + where(m) + "; qualify it as one of " + String.join(", ", q);
        }
        return "unknown message '" + name + "' (not in the DBC of any bus (" + String.join(", ", byBus.keySet()) + "))";
    }

    private static String where(List<? extends Match<?>> m) {
        List<String> w = new ArrayList<>();
        for (Match<?> x : m) w.add("bus " + x.entry().bus());
        return "defined on " + String.join(" and ", w);
    }

    private List<Match<Signal>> signalMatches(String name) { return matches(name, MultiBusDbc::addSignal); }

    /** Adds what {@code name} means in one bus-and-DBC entry to {@code out} (once per distinct item). */
    private interface Lookup<T> { void add(List<Match<T>> out, Entry e, String name); }

    /** The naming rule: {@code name} as written in every DBC, and {@code bus.rest} as {@code rest} in that bus's DBCs. */
    private <T> List<Match<T>> matches(String name, Lookup<T> lookup) {
        List<Match<T>> out = new ArrayList<>();
        for (Entry e : entries) lookup.add(out, e, name);
        int dot = name.indexOf('.');
        if (dot > 0) {
            for (Entry e : byBus.getOrDefault(name.substring(0, dot), List.of())) lookup.add(out, e, name.substring(dot + 1));
        }
        return out;
    }

    private static void addSignal(List<Match<Signal>> out, Entry e, String name) {
        Signal s = e.db.signal(name);
        if (s == null) return;
        Signal w = e.signals[s.index()];
        for (Match<Signal> m : out) if (m.item() == w) return;
        out.add(new Match<>(e, w));
    }

    private List<Match<Message>> messageMatches(String name) { return matches(name, MultiBusDbc::addMessage); }

    private static void addMessage(List<Match<Message>> out, Entry e, String name) {
        Message msg = e.db.messageByName(name);
        if (msg == null) return;
        for (Match<Message> m : out) if (m.item() == msg && m.entry().bus().equals(e.bus)) return;
        out.add(new Match<>(e, msg));
    }

    /** A DBC signal with its index moved into this bus-and-DBC's range; everything else is the DBC's. */
    private record BusSignal(Signal s, int index) implements Signal {
        @Override public String name() { return s.name(); }
        @Override public dev.vgate.dbc.Message message() { return s.message(); }
        @Override public int startBit() { return s.startBit(); }
        @Override public int length() { return s.length(); }
        @Override public ByteOrder byteOrder() { return s.byteOrder(); }
        @Override public boolean isSigned() { return s.isSigned(); }
        @Override public ValueType valueType() { return s.valueType(); }
        @Override public double factor() { return s.factor(); }
        @Override public double offset() { return s.offset(); }
        @Override public double minimum() { return s.minimum(); }
        @Override public double maximum() { return s.maximum(); }
        @Override public String unit() { return s.unit(); }
        @Override public List<String> receivers() { return s.receivers(); }
        @Override public Map<Long, String> choices() { return s.choices(); }
        @Override public String label(long raw) { return s.label(raw); }
        @Override public boolean isMultiplexer() { return s.isMultiplexer(); }
        @Override public List<Long> multiplexerIds() { return s.multiplexerIds(); }
        @Override public String comment() { return s.comment(); }
        @Override public long initialRaw() { return s.initialRaw(); }
        @Override public double toPhysical(long raw) { return s.toPhysical(raw); }
        @Override public String toString() { return s.toString(); }
    }
}
