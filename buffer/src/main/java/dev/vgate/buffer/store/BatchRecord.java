package dev.vgate.buffer.store;

import dev.vgate.buffer.Priority;

import java.util.List;

/**
 * A batch assigned in the store: its chunks stay until {@link SqliteTelemetryStore#acknowledge} deletes them,
 * so a crash between publish and PUBACK re-sends the same sequence with the same content.
 */
public record BatchRecord(long sequence, Priority priority, long createdUnixMs, DataLoss dataLoss, List<StoredChunk> chunks) {
    public int sampleCount() {
        int n = 0;
        for (StoredChunk c : chunks) n += c.chunk().count();
        return n;
    }
}
