package dev.vgate.buffer.codec;

import dev.vgate.dbc.Signal;

/** How a chunk's values are encoded; the codes are those of the wire enum {@code vgate.telemetry.Encoding}. */
public enum ValueEncoding {
    /** Raw DBC integers: exact, and small when the value moves slowly. */
    DELTA_ZIGZAG(1),
    /** IEEE float32 bits (the raw of a SIG_VALTYPE_ 1 signal), Gorilla XOR. */
    XOR_FLOAT32(2),
    /** IEEE float64 bits, Gorilla XOR. */
    XOR_FLOAT64(3),
    /** As DELTA_ZIGZAG, for an unsigned 64-bit signal: the raw long is read as unsigned for the physical value. */
    DELTA_ZIGZAG_UNSIGNED64(4);

    private final int code;

    ValueEncoding(int code) { this.code = code; }

    public int code() { return code; }

    public boolean isFloat() { return this == XOR_FLOAT32 || this == XOR_FLOAT64; }

    public static ValueEncoding forSignal(Signal signal) {
        switch (signal.valueType()) {
            case FLOAT32: return XOR_FLOAT32;
            case FLOAT64: return XOR_FLOAT64;
            default: return !signal.isSigned() && signal.length() == 64 ? DELTA_ZIGZAG_UNSIGNED64 : DELTA_ZIGZAG;
        }
    }

    /**
     * The physical value of a raw, exactly as the DBC decoder computes it: {@code raw × factor + offset}, where
     * raw is the IEEE value for float signals and an unsigned integer for unsigned 64-bit signals.
     */
    public double physical(long raw, double factor, double offset) {
        switch (this) {
            case XOR_FLOAT32: return Float.intBitsToFloat((int) raw) * factor + offset;
            case XOR_FLOAT64: return Double.longBitsToDouble(raw) * factor + offset;
            case DELTA_ZIGZAG_UNSIGNED64:
                if (raw < 0) return (((raw >>> 1) | (raw & 1)) * 2.0) * factor + offset;
                return raw * factor + offset;
            default: return raw * factor + offset;
        }
    }

    public static ValueEncoding ofCode(int code) throws CodecException {
        for (ValueEncoding e : values()) if (e.code == code) return e;
        throw new CodecException("unknown value encoding " + code);
    }
}
