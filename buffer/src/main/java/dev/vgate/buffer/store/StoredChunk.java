package dev.vgate.buffer.store;

import dev.vgate.buffer.codec.EncodedChunk;

/** A chunk row read back from the store, with its stream. */
public record StoredChunk(long rowId, StreamInfo stream, int streamId, EncodedChunk chunk) {}
