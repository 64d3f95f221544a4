package dev.vgate.dbc;

import java.util.List;
import java.util.Map;

/** A signal (SG_) of a message. (API outline.) */
public interface Signal {
    enum ByteOrder { LITTLE_ENDIAN, BIG_ENDIAN }
    enum ValueType { INTEGER, FLOAT32, FLOAT64 }

    /** Dense index over the whole database, for array lookups by consumers. */
    int index();
    String name();
    Message message();
    int startBit();
    int length();
    ByteOrder byteOrder();
    boolean isSigned();
    ValueType valueType();
    double factor();
    double offset();
    /** DBC minimum/maximum; both 0 means unspecified (as in DBC files). */
    double minimum();
    double maximum();
    String unit();
    List<String> receivers();
    /** Value table (raw → label), empty if none. */
    Map<Long, String> choices();
    /** The label of a raw value, or null. */
    String label(long raw);
    boolean isMultiplexer();
    /** Multiplexer values this signal is active for (empty if not multiplexed). */
    List<Long> multiplexerIds();
    String comment();
    /** GenSigStartValue (raw), or 0. */
    long initialRaw();
    double toPhysical(long raw);
}
