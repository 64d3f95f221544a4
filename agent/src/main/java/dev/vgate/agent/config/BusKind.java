package dev.vgate.agent.config;

/** Where a bus's frames come from. */
public enum BusKind {
    /** A Linux SocketCAN interface (can0, vcan0). */
    SOCKETCAN,
    /** An in-process virtual bus (tests, demo): frames sent on it are received by its other users. */
    VIRTUAL,
    /** A candump -L log file played back as if it were a bus (receive only). */
    REPLAY;

    /** Whether vgate can transmit on this kind of bus (CAN commands need one). */
    public boolean canTransmit() {
        return this != REPLAY;
    }
}
