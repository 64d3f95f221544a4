package dev.vgate.buffer.testing;

import dev.vgate.dbc.Message;
import dev.vgate.dbc.Signal;

import java.util.List;
import java.util.Map;

/** A hand-made signal for tests that need no DBC. */
public record FakeSignal(int index, String name, Message message, ValueType valueType, double factor, double offset) implements Signal {
    public static FakeSignal integer(int index, String message, int frameId, String name, double factor, double offset) {
        return new FakeSignal(index, name, new FakeMessage(message, frameId), ValueType.INTEGER, factor, offset);
    }

    public static FakeSignal float64(int index, String message, int frameId, String name) {
        return new FakeSignal(index, name, new FakeMessage(message, frameId), ValueType.FLOAT64, 1, 0);
    }

    @Override public int startBit() { return 0; }
    @Override public int length() { return 64; }
    @Override public ByteOrder byteOrder() { return ByteOrder.LITTLE_ENDIAN; }
    @Override public boolean isSigned() { return true; }
    @Override public double minimum() { return 0; }
    @Override public double maximum() { return 0; }
    @Override public String unit() { return ""; }
    @Override public List<String> receivers() { return List.of(); }
    @Override public Map<Long, String> choices() { return Map.of(); }
    @Override public String label(long raw) { return null; }
    @Override public boolean isMultiplexer() { return false; }
    @Override public List<Long> multiplexerIds() { return List.of(); }
    @Override public String comment() { return ""; }
    @Override public long initialRaw() { return 0; }
    @Override public double toPhysical(long raw) {
        return valueType == ValueType.FLOAT64 ? Double.longBitsToDouble(raw) : raw * factor + offset;
    }

    public record FakeMessage(String name, int frameId) implements Message {
        @Override public int index() { return 0; }
        @Override public boolean isExtended() { return false; }
        @Override public int length() { return 8; }
        @Override public boolean isFd() { return false; }
        @Override public int cycleTimeMs() { return 0; }
        @Override public List<String> senders() { return List.of(); }
        @Override public List<Signal> signals() { return List.of(); }
        @Override public String comment() { return ""; }
    }
}
