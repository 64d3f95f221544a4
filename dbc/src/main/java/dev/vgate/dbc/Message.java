package dev.vgate.dbc;

import java.util.List;

/** A message (BO_) of a database. (API outline.) */
public interface Message {
    int index();
    String name();
    int frameId();
    boolean isExtended();
    /** DBC length in bytes (0..64). */
    int length();
    boolean isFd();
    /** GenMsgCycleTime in ms, or 0 if none. */
    int cycleTimeMs();
    List<String> senders();
    List<Signal> signals();
    String comment();
}
