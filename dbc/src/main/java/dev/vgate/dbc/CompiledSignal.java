package dev.vgate.dbc;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A signal with its precomputed layout and conversion. Immutable once its database is built. */
final class CompiledSignal implements Signal {
    private final int index;
    private final String name;
    private final CompiledMessage message;
    final BitLayout layout;
    private final boolean signed;
    private final ValueType valueType;
    private final double factor;
    private final double offset;
    private final double minimum;
    private final double maximum;
    private final String unit;
    private final List<String> receivers;
    private final Map<Long, String> choices;
    private final long[] choiceKeys;
    private final String[] choiceLabels;
    private final boolean multiplexer;
    private final List<Long> multiplexerIds;
    private final String comment;
    private final long initialRaw;
    /** False when the signal's bits run past its message: loaded, never decoded or encoded. */
    final boolean decodable;
    /** Shift pair for sign extension (64 - length). */
    private final int signShift;
    private final boolean unsigned64;

    // multiplexing, within the message: position of the switch signal (-1 if none) and the active ranges
    int switchPosition = -1;
    long[] muxRanges = new long[0];
    /** For a switch: union of its children's ranges; empty when it has no children. */
    long[] childRanges = new long[0];

    CompiledSignal(int index, String name, CompiledMessage message, BitLayout layout, boolean signed,
                   ValueType valueType, double factor, double offset, double minimum, double maximum, String unit,
                   List<String> receivers, Map<Long, String> choices, boolean multiplexer, List<Long> multiplexerIds,
                   String comment, long initialRaw, boolean decodable) {
        this.index = index;
        this.name = name;
        this.message = message;
        this.layout = layout;
        this.signed = signed;
        this.valueType = valueType;
        this.factor = factor;
        this.offset = offset;
        this.minimum = minimum;
        this.maximum = maximum;
        this.unit = unit;
        this.receivers = List.copyOf(receivers);
        this.choices = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        this.choiceKeys = choices.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        this.choiceLabels = new String[choiceKeys.length];
        for (int k = 0; k < choiceKeys.length; k++) choiceLabels[k] = choices.get(choiceKeys[k]);
        this.multiplexer = multiplexer;
        this.multiplexerIds = List.copyOf(multiplexerIds);
        this.comment = comment;
        this.initialRaw = initialRaw;
        this.decodable = decodable;
        this.signShift = 64 - layout.length;
        this.unsigned64 = !signed && layout.length == 64 && valueType == ValueType.INTEGER;
    }

    @Override public int index() { return index; }
    @Override public String name() { return name; }
    @Override public Message message() { return message; }
    @Override public int startBit() { return layout.startBit; }
    @Override public int length() { return layout.length; }
    @Override public ByteOrder byteOrder() { return layout.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN; }
    @Override public boolean isSigned() { return signed; }
    @Override public ValueType valueType() { return valueType; }
    @Override public double factor() { return factor; }
    @Override public double offset() { return offset; }
    @Override public double minimum() { return minimum; }
    @Override public double maximum() { return maximum; }
    @Override public String unit() { return unit; }
    @Override public List<String> receivers() { return receivers; }
    @Override public Map<Long, String> choices() { return choices; }
    @Override public boolean isMultiplexer() { return multiplexer; }
    @Override public List<Long> multiplexerIds() { return multiplexerIds; }
    @Override public String comment() { return comment; }
    @Override public long initialRaw() { return initialRaw; }

    /** Allocation-free label lookup (binary search over the sorted raw values). */
    @Override public String label(long raw) {
        int k = Arrays.binarySearch(choiceKeys, raw);
        return k >= 0 ? choiceLabels[k] : null;
    }

    /** The raw value as the sink sees it, from the masked bits: sign-extended for signed integers. */
    long rawFromBits(long bits) {
        if (signed && valueType == ValueType.INTEGER) return (bits << signShift) >> signShift;
        return bits;
    }

    @Override public double toPhysical(long raw) {
        switch (valueType) {
            case FLOAT32: return Float.intBitsToFloat((int) raw) * factor + offset;
            case FLOAT64: return Double.longBitsToDouble(raw) * factor + offset;
            default:
                if (unsigned64 && raw < 0) return (((raw >>> 1) | (raw & 1)) * 2.0) * factor + offset;
                return raw * factor + offset;
        }
    }

    /** True if {@code raw} of this signal's switch selects it. */
    static boolean inRanges(long[] ranges, long v) {
        for (int k = 0; k < ranges.length; k += 2) if (v >= ranges[k] && v <= ranges[k + 1]) return true;
        return false;
    }

    @Override public String toString() { return message.name() + "." + name; }
}
