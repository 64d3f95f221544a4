package dev.vgate.buffer.codec;

import dev.vgate.dbc.Signal;

/** How a chunk's values are encoded; the codes are those of the wire enum {@code vgate.telemetry.Encoding}. */
public enum ValueEncoding {
    /** Raw DBC integers: exact, and small when the value moves slowly. */
    DELTA_ZIGZAG(1),
    /** IEEE float32 bits (the raw of a SIG_VALTYPE_ 1 signal), Gorilla XOR. */
    XOR_FLOAT32(2),
    /** IEEE float64 bits, Gorilla XOR. */
    XOR_FLOAT64(3);

    private final int code;

    ValueEncoding(int code) { this.code = code; }

    public int code() { return code; }

    public static ValueEncoding forSignal(Signal signal) {
        switch (signal.valueType()) {
            case FLOAT32: return XOR_FLOAT32;
            case FLOAT64: return XOR_FLOAT64;
            default: return DELTA_ZIGZAG;
        }
    }

    public static ValueEncoding ofCode(int code) throws CodecException {
        for (ValueEncoding e : values()) if (e.code == code) return e;
        throw new CodecException("unknown value encoding " + code);
    }
}
