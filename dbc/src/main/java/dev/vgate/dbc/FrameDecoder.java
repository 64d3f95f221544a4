package dev.vgate.dbc;

/** Decodes frames into a {@link SignalSink}. One instance per thread; no allocation per frame. (API outline.) */
public interface FrameDecoder {
    DecodeStatus decode(int frameId, boolean extended, byte[] data, int length, SignalSink sink);

    /** The message of the last {@link #decode} call, or null if its id was unknown. */
    Message lastMessage();

    /** Human-readable reason for the last non-OK status, cantools-style, e.g. "Wrong data size: 7 instead of 8 bytes". */
    String lastError();
}
