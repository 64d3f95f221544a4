package dev.vgate.dbc;

/** Outcome of decoding one frame. Constants, so the hot path allocates nothing. */
public enum DecodeStatus {
    OK,
    /** No message with this id (and id kind) in the database. */
    UNKNOWN_ID,
    /** Payload length differs from the message's DBC length; nothing is decoded (as cantools). */
    WRONG_LENGTH,
    /** A multiplexer value selects no group in the DBC; nothing is decoded. */
    UNKNOWN_MULTIPLEXER
}
