package dev.vgate.rules.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertJournalTest {
    @TempDir Path dir;

    @Test void pendingAlertsSurviveAReopenAndAcknowledgedOnesDoNot() throws Exception {
        Path f = dir.resolve("alerts.journal");
        try (AlertJournal j = AlertJournal.open(f)) {
            long a = j.append("{\"rule\":\"a\"}");
            long b = j.append("{\"rule\":\"b\"}");
            j.append("{\"rule\":\"c\"}");
            j.acknowledge(b);
            assertEquals(2, j.pendingCount());
            assertTrue(a < b);
        }
        try (AlertJournal j = AlertJournal.open(f)) {
            assertEquals(List.of("{\"rule\":\"a\"}", "{\"rule\":\"c\"}"), j.pending().stream().map(AlertJournal.Entry::json).toList());
            long d = j.append("{\"rule\":\"d\"}");
            assertTrue(d > j.pending().get(1).seq(), "sequence numbers continue after the pending ones");
        }
    }

    @Test void aLineTornByPowerLossIsSkippedAndTheRestKept() throws Exception {
        Path f = dir.resolve("alerts.journal");
        try (AlertJournal j = AlertJournal.open(f)) {
            j.append("{\"rule\":\"kept\"}");
        }
        String whole = Files.readString(f);
        Files.writeString(f, whole.substring(0, whole.length() - 1) + "\n" + whole.substring(0, whole.length() / 2), StandardOpenOption.TRUNCATE_EXISTING);
        try (AlertJournal j = AlertJournal.open(f)) {
            assertEquals(1, j.pendingCount());
            assertEquals("{\"rule\":\"kept\"}", j.pending().get(0).json());
        }
    }

    @Test void aLineWithAWrongChecksumIsSkipped() throws Exception {
        Path f = dir.resolve("alerts.journal");
        try (AlertJournal j = AlertJournal.open(f)) {
            j.append("{\"rule\":\"x\"}");
            j.append("{\"rule\":\"y\"}");
        }
        Files.writeString(f, Files.readString(f).replace("\"x\"", "\"z\""));
        try (AlertJournal j = AlertJournal.open(f)) {
            assertEquals(List.of("{\"rule\":\"y\"}"), j.pending().stream().map(AlertJournal.Entry::json).toList());
        }
    }

    @Test void theFileShrinksToNothingOnceEverythingIsAcknowledged() throws Exception {
        Path f = dir.resolve("alerts.journal");
        try (AlertJournal j = AlertJournal.open(f)) {
            for (int k = 0; k < 20; k++) j.acknowledge(j.append("{\"n\":" + k + "}"));
            assertEquals(0, j.pendingCount());
        }
        assertEquals(0, Files.size(f));
    }

    @Test void manyAcknowledgementsAreCompactedAway() throws Exception {
        Path f = dir.resolve("alerts.journal");
        try (AlertJournal j = AlertJournal.open(f, 16)) {
            j.append("{\"rule\":\"held\"}");
            for (int k = 0; k < 100; k++) j.acknowledge(j.append("{\"n\":" + k + "}"));
            assertEquals(1, j.pendingCount());
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertTrue(lines.size() <= 1 + 2 * 16, "journal not compacted: " + lines.size() + " lines");
        try (AlertJournal j = AlertJournal.open(f)) {
            assertEquals("{\"rule\":\"held\"}", j.pending().get(0).json());
        }
    }

    @Test void anUnwritablePlaceIsAStoreErrorNamingTheFile() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        AlertStoreException e = assertThrows(AlertStoreException.class, () -> AlertJournal.open(blocker.resolve("alerts.journal")));
        assertTrue(e.getMessage().contains("not-a-dir/alerts.journal: cannot open: a file is in the way"), e.getMessage());
    }
}
