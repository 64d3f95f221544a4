package dev.vgate.buffer.store;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.EncodedChunk;

/** A chunk about to be committed: the stream id from {@link SqliteTelemetryStore#streamId} and its samples. */
public record PendingChunk(int streamId, Priority priority, EncodedChunk chunk) {}
