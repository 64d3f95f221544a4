package dev.vgate.dbc;

import dev.vgate.dbc.DbcFile.AttributeDef;
import dev.vgate.dbc.DbcFile.AttributeValue;
import dev.vgate.dbc.DbcFile.CommentDef;
import dev.vgate.dbc.DbcFile.MessageDef;
import dev.vgate.dbc.DbcFile.MuxValues;
import dev.vgate.dbc.DbcFile.SignalDef;
import dev.vgate.dbc.DbcFile.SignalValueType;
import dev.vgate.dbc.DbcFile.Target;
import dev.vgate.dbc.DbcFile.TxSenders;
import dev.vgate.dbc.DbcFile.ValueDescription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link DbcFile} and builds the runtime database: ids, attributes, comments, value tables,
 * multiplexing, layouts. Real-file quirks become warnings; only what cannot be decoded at all (a
 * multiplexed signal without a switch, a multiplexer cycle) is an error.
 */
final class DbcCompiler {
    private static final long EXTENDED_FLAG = 0x80000000L;
    private static final String INDEPENDENT_SIG_MSG = "VECTOR__INDEPENDENT_SIG_MSG";

    private final DbcFile file;
    private final List<DbcWarning> warnings;
    /** BO_ raw id (as written) → message definition; the later one wins, as in cantools. */
    private final Map<Long, MessageDef> byRawId = new HashMap<>();
    private final Map<String, AttributeDef> attributeDefs = new HashMap<>();
    private final Map<String, Map<String, Object>> signalAttrs = new HashMap<>();
    private final Map<Long, Map<String, Object>> messageAttrs = new HashMap<>();
    private final Map<String, String> signalComments = new HashMap<>();
    private final Map<Long, String> messageComments = new HashMap<>();
    private final Map<String, Map<Long, String>> signalChoices = new HashMap<>();
    private final Map<String, Integer> signalValueTypes = new HashMap<>();
    private final Map<String, MuxValues> muxValues = new HashMap<>();
    private final Map<Long, List<String>> extraSenders = new HashMap<>();

    private DbcCompiler(DbcFile file) {
        this.file = file;
        this.warnings = new ArrayList<>(file.warnings());
    }

    static DbcDatabase compile(DbcFile file) throws DbcParseException {
        return new DbcCompiler(file).compile();
    }

    private static String key(long rawId, String signal) { return rawId + "/" + signal; }

    private void warn(int line, int col, String message) {
        warnings.add(new DbcWarning(file.name(), line, col, message));
    }

    private DbcParseException error(int line, int col, String reason) {
        return new DbcParseException(file.name(), line, col, reason);
    }

    private DbcDatabase compile() throws DbcParseException {
        for (MessageDef m : file.messages()) {
            MessageDef before = byRawId.put(m.rawId(), m);
            if (before != null) {
                warn(m.line(), m.column(), "message " + m.name() + " has the same id " + m.rawId() + " as " + before.name()
                        + " (line " + before.line() + "); frames with this id decode as " + m.name());
            }
        }
        for (AttributeDef d : file.attributeDefs()) attributeDefs.put(d.name(), d);
        indexAttributes();
        indexComments();
        indexSignalRefs();

        List<CompiledMessage> messages = new ArrayList<>();
        List<CompiledSignal> signals = new ArrayList<>();
        for (MessageDef def : file.messages()) {
            if (def.name().equals(INDEPENDENT_SIG_MSG)) continue; // Vector's holder of unplaced signals, not a frame
            messages.add(compileMessage(def, messages.size(), signals));
        }
        return new DbcDatabase(file.name(), file.version(), file.nodes(), messages, signals, warnings);
    }

    private void indexAttributes() {
        for (AttributeValue a : file.attributes()) {
            switch (a.target()) {
                case MESSAGE -> {
                    if (!byRawId.containsKey(a.messageId())) {
                        warn(a.line(), 1, "attribute " + a.name() + " for unknown message " + a.messageId() + " ignored");
                        continue;
                    }
                    messageAttrs.computeIfAbsent(a.messageId(), k -> new HashMap<>()).put(a.name(), a.value());
                }
                case SIGNAL -> {
                    if (!hasSignal(a.messageId(), a.objectName())) {
                        warn(a.line(), 1, "attribute " + a.name() + " for unknown signal " + a.messageId() + " " + a.objectName() + " ignored");
                        continue;
                    }
                    signalAttrs.computeIfAbsent(key(a.messageId(), a.objectName()), k -> new HashMap<>()).put(a.name(), a.value());
                }
                default -> { }
            }
        }
    }

    private void indexComments() {
        for (CommentDef c : file.comments()) {
            switch (c.target()) {
                case MESSAGE -> {
                    if (!byRawId.containsKey(c.messageId())) warn(c.line(), 1, "comment for unknown message " + c.messageId() + " ignored");
                    else messageComments.put(c.messageId(), c.text());
                }
                case SIGNAL -> {
                    if (!hasSignal(c.messageId(), c.objectName())) warn(c.line(), 1, "comment for unknown signal " + c.messageId() + " " + c.objectName() + " ignored");
                    else signalComments.put(key(c.messageId(), c.objectName()), c.text());
                }
                default -> { }
            }
        }
    }

    private void indexSignalRefs() {
        for (ValueDescription v : file.valueDescriptions()) {
            if (!hasSignal(v.messageId(), v.signal())) {
                warn(v.line(), 1, "value table for unknown signal " + v.messageId() + " " + v.signal() + " ignored");
                continue;
            }
            signalChoices.put(key(v.messageId(), v.signal()), v.labels());
        }
        for (SignalValueType t : file.valueTypes()) {
            if (!hasSignal(t.messageId(), t.signal())) {
                warn(t.line(), 1, "SIG_VALTYPE_ for unknown signal " + t.messageId() + " " + t.signal() + " ignored");
                continue;
            }
            signalValueTypes.put(key(t.messageId(), t.signal()), t.type());
        }
        for (MuxValues mv : file.muxValues()) {
            if (!hasSignal(mv.messageId(), mv.signal())) {
                warn(mv.line(), 1, "SG_MUL_VAL_ for unknown signal " + mv.messageId() + " " + mv.signal() + " ignored");
                continue;
            }
            muxValues.put(key(mv.messageId(), mv.signal()), mv);
        }
        for (TxSenders t : file.txSenders()) {
            if (!byRawId.containsKey(t.messageId())) {
                warn(t.line(), 1, "BO_TX_BU_ for unknown message " + t.messageId() + " ignored");
                continue;
            }
            extraSenders.computeIfAbsent(t.messageId(), k -> new ArrayList<>()).addAll(t.senders());
        }
    }

    private boolean hasSignal(long rawId, String name) {
        MessageDef m = byRawId.get(rawId);
        if (m == null) return false;
        for (SignalDef s : m.signals()) if (s.name().equals(name)) return true;
        return false;
    }

    private Object attribute(Map<String, Object> values, String name) {
        Object v = values == null ? null : values.get(name);
        return v != null ? v : file.attributeDefaults().get(name);
    }

    /** An enum attribute as its name (the value may be written as the index or the name). */
    private String enumName(String attr, Object v) {
        if (v instanceof String s) return s;
        AttributeDef d = attributeDefs.get(attr);
        if (v instanceof Double n && d != null && n >= 0 && n < d.enumValues().size() && n == Math.rint(n)) {
            return d.enumValues().get(n.intValue());
        }
        return null;
    }

    private CompiledMessage compileMessage(MessageDef def, int index, List<CompiledSignal> dbSignals) throws DbcParseException {
        long raw = def.rawId();
        boolean extended = (raw & EXTENDED_FLAG) != 0;
        long id = raw & 0x7FFFFFFFL;
        if (id > 0x1FFFFFFFL) {
            warn(def.line(), def.column(), "message " + def.name() + " id " + raw + " has bits above 29; using its low 29 bits");
            id &= 0x1FFFFFFFL;
        }
        if (!extended && id > 0x7FF) {
            warn(def.line(), def.column(), "message " + def.name() + " id " + raw + " (0x" + Long.toHexString(id).toUpperCase()
                    + ") is above 0x7FF without the extended flag (0x80000000); treated as a 29-bit id");
            extended = true;
        }
        Map<String, Object> attrs = messageAttrs.get(raw);
        int cycle = 0;
        if (attribute(attrs, "GenMsgCycleTime") instanceof Double d) cycle = (int) Math.max(0, Math.min(Integer.MAX_VALUE, d));
        String frameFormat = enumName("VFrameFormat", attribute(attrs, "VFrameFormat"));
        boolean fd = def.length() > 8 || (frameFormat != null && frameFormat.endsWith("_FD"));
        List<String> senders = new ArrayList<>();
        if (!def.sender().isEmpty() && !def.sender().equals("Vector__XXX")) senders.add(def.sender());
        for (String s : extraSenders.getOrDefault(raw, List.of())) if (!senders.contains(s)) senders.add(s);
        CompiledMessage msg = new CompiledMessage(index, def.name(), (int) id, extended, def.length(), fd, cycle, senders,
                messageComments.get(raw));

        List<CompiledSignal> list = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (SignalDef s : def.signals()) {
            if (!names.add(s.name())) {
                warn(s.line(), s.column(), "message " + def.name() + " has two signals named " + s.name());
            }
            list.add(compileSignal(msg, raw, s, dbSignals.size() + list.size()));
        }
        int[] switchOrder = resolveMultiplexing(def, list);
        checkOverlaps(def, list);
        msg.setSignals(list, switchOrder);
        dbSignals.addAll(list);
        return msg;
    }

    private CompiledSignal compileSignal(CompiledMessage msg, long rawId, SignalDef s, int index) {
        String k = key(rawId, s.name());
        Signal.ValueType type = Signal.ValueType.INTEGER;
        Integer vt = signalValueTypes.get(k);
        if (vt != null && (vt == 1 || vt == 2)) {
            int need = vt == 1 ? 32 : 64;
            if (s.length() != need) {
                warn(s.line(), s.column(), "signal " + s.name() + " is declared " + (vt == 1 ? "float32" : "float64")
                        + " by SIG_VALTYPE_ but has " + s.length() + " bits; decoded as an integer");
            } else {
                type = vt == 1 ? Signal.ValueType.FLOAT32 : Signal.ValueType.FLOAT64;
            }
        }
        BitLayout layout = new BitLayout(s.littleEndian(), s.startBit(), s.length());
        boolean fits = layout.fitsIn(msg.length());
        if (!fits) {
            warn(s.line(), s.column(), "signal " + s.name() + " (bytes " + layout.firstByte + ".." + layout.lastByte
                    + ") does not fit in message " + msg.name() + " of " + msg.length() + " bytes; it is never decoded");
        }
        long initial = 0;
        Object start = attribute(signalAttrs.get(k), "GenSigStartValue");
        if (start instanceof Double d && Double.isFinite(d)) initial = (long) (double) d;
        List<Long> muxIds = new ArrayList<>();
        MuxValues mv = muxValues.get(k);
        if (mv != null) {
            for (long[] r : mv.ranges()) {
                for (long v = r[0]; v <= r[1] && muxIds.size() < 4096; v++) muxIds.add(v);
            }
        } else if (s.muxValue() != null) {
            muxIds.add(s.muxValue());
        }
        return new CompiledSignal(index, s.name(), msg, layout, s.signed(), type, s.factor(), s.offset(), s.minimum(),
                s.maximum(), s.unit(), s.receivers(), signalChoices.getOrDefault(k, Map.of()), s.multiplexer(), muxIds,
                signalComments.get(k), initial, fits);
    }

    /**
     * Finds each multiplexed signal's switch (SG_MUL_VAL_ when given, else the message's one "M" signal) and
     * orders the switches so that each comes after its own switch.
     */
    private int[] resolveMultiplexing(MessageDef def, List<CompiledSignal> sigs) throws DbcParseException {
        List<SignalDef> defs = def.signals();
        Map<String, Integer> positionByName = new HashMap<>();
        for (int i = sigs.size() - 1; i >= 0; i--) positionByName.put(sigs.get(i).name(), i);
        int plainSwitch = -1;
        int plainSwitches = 0;
        for (int i = 0; i < defs.size(); i++) {
            if (defs.get(i).multiplexer() && defs.get(i).muxValue() == null) {
                if (plainSwitch < 0) plainSwitch = i;
                plainSwitches++;
            }
        }
        boolean any = false;
        for (int i = 0; i < defs.size(); i++) {
            SignalDef d = defs.get(i);
            CompiledSignal s = sigs.get(i);
            MuxValues mv = muxValues.get(key(def.rawId(), d.name()));
            if (mv != null) {
                Integer sw = positionByName.get(mv.switchName());
                if (sw == null || !defs.get(sw).multiplexer()) {
                    throw error(mv.line(), 1, "expected SG_MUL_VAL_ switch " + mv.switchName() + " to be a multiplexer (M or mNM) signal of message "
                            + def.name() + ", found " + (sw == null ? "no such signal" : "a plain signal"));
                }
                if (sw == i) throw error(mv.line(), 1, "expected SG_MUL_VAL_ of " + d.name() + " to name another signal as its switch, found itself");
                s.switchPosition = sw;
                long[] r = new long[mv.ranges().size() * 2];
                for (int k = 0; k < mv.ranges().size(); k++) { r[2 * k] = mv.ranges().get(k)[0]; r[2 * k + 1] = mv.ranges().get(k)[1]; }
                s.muxRanges = r;
                any = true;
            } else if (d.muxValue() != null) {
                if (plainSwitches == 0) {
                    throw error(d.line(), d.column(), "expected a multiplexer switch (M) in message " + def.name()
                            + " for multiplexed signal " + d.name() + " (m" + d.muxValue() + "), found none");
                }
                if (plainSwitches > 1) {
                    throw error(d.line(), d.column(), "expected one multiplexer switch (M) in message " + def.name()
                            + " or SG_MUL_VAL_ for signal " + d.name() + ", found " + plainSwitches + " switches");
                }
                s.switchPosition = plainSwitch;
                s.muxRanges = new long[] {d.muxValue(), d.muxValue()};
                any = true;
            }
        }
        if (!any) return new int[0];
        // children's values per switch, for the "unknown multiplexer value" check
        Map<Integer, List<long[]>> childRanges = new HashMap<>();
        for (CompiledSignal s : sigs) {
            if (s.switchPosition < 0) continue;
            for (int k = 0; k < s.muxRanges.length; k += 2) {
                childRanges.computeIfAbsent(s.switchPosition, x -> new ArrayList<>()).add(new long[] {s.muxRanges[k], s.muxRanges[k + 1]});
            }
        }
        for (Map.Entry<Integer, List<long[]>> e : childRanges.entrySet()) {
            List<long[]> rs = e.getValue();
            rs.sort((a, b) -> Long.compare(a[0], b[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] r : rs) {
                if (!merged.isEmpty() && r[0] <= merged.get(merged.size() - 1)[1] + 1) {
                    long[] last = merged.get(merged.size() - 1);
                    last[1] = Math.max(last[1], r[1]);
                } else {
                    merged.add(new long[] {r[0], r[1]});
                }
            }
            long[] flat = new long[merged.size() * 2];
            for (int k = 0; k < merged.size(); k++) { flat[2 * k] = merged.get(k)[0]; flat[2 * k + 1] = merged.get(k)[1]; }
            sigs.get(e.getKey()).childRanges = flat;
        }
        // order switches: parents first; a cycle can never be activated
        List<Integer> order = new ArrayList<>();
        Map<Integer, Integer> state = new HashMap<>();
        for (int i = 0; i < sigs.size(); i++) {
            if (defs.get(i).multiplexer()) visitSwitch(def, sigs, i, state, order);
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private void visitSwitch(MessageDef def, List<CompiledSignal> sigs, int i, Map<Integer, Integer> state, List<Integer> order) throws DbcParseException {
        Integer st = state.get(i);
        if (st != null && st == 2) return;
        if (st != null && st == 1) {
            SignalDef d = def.signals().get(i);
            throw error(d.line(), d.column(), "expected multiplexer switches of message " + def.name() + " to form a tree, found a cycle through " + d.name());
        }
        state.put(i, 1);
        int parent = sigs.get(i).switchPosition;
        if (parent >= 0) visitSwitch(def, sigs, parent, state, order);
        state.put(i, 2);
        order.add(i);
    }

    /** Warns about signals that can be active together and share bits (they are both decoded, from the same bits). */
    private void checkOverlaps(MessageDef def, List<CompiledSignal> sigs) {
        int n = sigs.size();
        long[][] bits = new long[n][];
        for (int i = 0; i < n; i++) {
            bits[i] = new long[8];
            sigs.get(i).layout.markBits(bits[i]);
        }
        int reported = 0;
        for (int i = 0; i < n && reported < 20; i++) {
            for (int j = i + 1; j < n && reported < 20; j++) {
                if (!intersects(bits[i], bits[j]) || !canBeActiveTogether(sigs, i, j)) continue;
                SignalDef d = def.signals().get(j);
                warn(d.line(), d.column(), "signal " + d.name() + " overlaps " + sigs.get(i).name() + " in message " + def.name()
                        + "; both are decoded from the shared bits");
                reported++;
            }
        }
    }

    private static boolean intersects(long[] a, long[] b) {
        for (int k = 0; k < a.length; k++) if ((a[k] & b[k]) != 0) return true;
        return false;
    }

    /** False if some switch selects them with disjoint values (they live in different groups). */
    private static boolean canBeActiveTogether(List<CompiledSignal> sigs, int a, int b) {
        Map<Integer, long[]> chainA = new LinkedHashMap<>();
        for (int p = a, guard = 0; sigs.get(p).switchPosition >= 0 && guard < 64; p = sigs.get(p).switchPosition, guard++) {
            chainA.put(sigs.get(p).switchPosition, sigs.get(p).muxRanges);
        }
        for (int p = b, guard = 0; sigs.get(p).switchPosition >= 0 && guard < 64; p = sigs.get(p).switchPosition, guard++) {
            long[] ra = chainA.get(sigs.get(p).switchPosition);
            if (ra != null && !rangesIntersect(ra, sigs.get(p).muxRanges)) return false;
        }
        return true;
    }

    private static boolean rangesIntersect(long[] x, long[] y) {
        for (int i = 0; i < x.length; i += 2) {
            for (int j = 0; j < y.length; j += 2) if (x[i] <= y[j + 1] && y[j] <= x[i + 1]) return true;
        }
        return false;
    }
}
