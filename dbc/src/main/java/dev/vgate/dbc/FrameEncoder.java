package dev.vgate.dbc;

import java.util.Map;

/** Encodes physical values or labels into frames; {@code decode(encode(x))} gives x back (to the signal's resolution). */
public interface FrameEncoder {
    /**
     * Encodes a message. Values are Numbers (physical) or Strings (value-table labels); signals not given take
     * their initial value (GenSigStartValue) or raw 0. Out-of-range or unknown values throw with the signal named.
     */
    byte[] encode(Message message, Map<String, ?> values) throws DbcEncodeException;
}
