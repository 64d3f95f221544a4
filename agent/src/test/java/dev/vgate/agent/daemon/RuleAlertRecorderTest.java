package dev.vgate.agent.daemon;

import dev.vgate.buffer.collect.GroupCommitter;
import dev.vgate.buffer.codec.SampleColumn;
import dev.vgate.buffer.store.BatchRecord;
import dev.vgate.buffer.store.SqliteTelemetryStore;
import dev.vgate.buffer.store.StoredChunk;
import dev.vgate.rules.Action;
import dev.vgate.rules.RuleAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A rule alert goes into the buffer with its evidence: every value the condition read, at the time it was received. */
class RuleAlertRecorderTest {
    @TempDir Path dir;

    @Test void theEvidenceIsStoredBeforeTheAlertWithEachValuesOwnTime() throws Exception {
        List<BatchRecord> committed = new CopyOnWriteArrayList<>();
        try (SqliteTelemetryStore store = SqliteTelemetryStore.open(dir.resolve("t.db"), 0)) {
            GroupCommitter committer = new GroupCommitter(store, committed::add);
            RuleAlertRecorder recorder = new RuleAlertRecorder(committer, Clock.systemUTC());
            long t0 = 1_700_000_000_000_000_000L;
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("BMS_Temp", 61.5);
            values.put("VehicleSpeed", 42.25);
            recorder.publish(new RuleAlert("cutoff", RuleAlert.Event.FIRED, Action.Severity.CRITICAL, t0 + 300_000_000L, "hot", values,
                    Map.of("BMS_Temp", t0 + 300_000_000L, "VehicleSpeed", t0 + 20_000_000L)));
            recorder.close();
            assertEquals(3, committed.size());
            Map<String, String> seen = new LinkedHashMap<>();
            for (BatchRecord b : committed) {
                for (StoredChunk c : b.chunks()) {
                    SampleColumn col = c.chunk().decode();
                    String value = c.stream().message().startsWith("evidence/") ? Double.toString(Double.longBitsToDouble(col.raw(0))) : Long.toString(col.raw(0));
                    seen.put(c.stream().message() + "/" + c.stream().signal(), value + "@" + col.timestamp(0));
                }
            }
            assertEquals(Map.of("evidence/cutoff/BMS_Temp", "61.5@1700000000300000", "evidence/cutoff/VehicleSpeed", "42.25@1700000000020000",
                    "alert/critical/cutoff", "1@1700000000300000"), seen);
            assertEquals("alert/critical/cutoff", committed.get(2).chunks().get(0).stream().message() + "/" + committed.get(2).chunks().get(0).stream().signal(),
                    "the alert sample last: its evidence is durable first");
        }
    }
}
