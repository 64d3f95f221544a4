package dev.vgate.buffer.collect;

import dev.vgate.buffer.Priority;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupCommitterTest {
    @TempDir Path dir;

    @Test void aFullWindowIsCommittedByTheAddingThreadSoMemoryStaysBounded() throws Exception {
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("w.db"), 0)) {
            int id = store.streamId(new StreamInfo("can0", "M", "S", 0, 0x10, ValueEncoding.DELTA_ZIGZAG, 1, 0));
            GroupCommitter committer = new GroupCommitter(store, AlertListener.NONE, 1000);
            for (int i = 0; i < 2500; i++) committer.add(id, Priority.NORMAL, i * 1000L, i);
            assertEquals(2000, committer.committedSamples(), "two full windows committed without a commit() call");
            assertEquals(2000, store.stats().normalSamples());
            assertEquals(2500, committer.acceptedSamples(), "500 accepted samples still wait in the open window");
            committer.close();
            assertEquals(2500, store.stats().normalSamples(), "close() commits the rest");
            assertEquals(committer.acceptedSamples(), committer.committedSamples(), "nothing accepted is left behind");
        }
    }

    @Test void windowLimitMustBePositive() throws Exception {
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("x.db"), 0)) {
            assertThrows(IllegalArgumentException.class, () -> new GroupCommitter(store, AlertListener.NONE, 0));
        }
    }
}
