package dev.vgate.dbc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every real DBC in ../shared/data loads (cantools loads all of them, strict or not), quirks as warnings. */
class SharedDbcFilesLoadTest {

    @Test
    void everyRealDbcLoads() throws IOException {
        Path root = SharedData.dir().resolve("dbc");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".dbc")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int messages = 0, signals = 0, warnings = 0;
        for (Path f : files) {
            try {
                DbcDatabase db = DbcDatabase.load(f);
                messages += db.messages().size();
                signals += db.signals().size();
                warnings += db.warnings().size();
            } catch (DbcException e) {
                failures.add(e.getMessage());
            }
        }
        System.out.printf("loaded %d of %d real DBC files: %d messages, %d signals, %d warnings%n",
                files.size() - failures.size(), files.size(), messages, signals, warnings);
        assertTrue(files.size() >= 180, "expected the shared DBC corpus, found " + files.size() + " files");
        assertEquals(List.of(), failures);
    }

    @Test
    void quirksOfRealFilesAreWarningsWithFileAndLine() throws Exception {
        Path dbc = SharedData.dir().resolve("dbc");
        DbcDatabase mqb = DbcDatabase.load(dbc.resolve("opendbc/vw_mqbevo.dbc"));
        assertTrue(mqb.warnings().stream().anyMatch(w -> w.message().contains("without the extended flag") && w.line() > 0), "29-bit id without flag");
        assertTrue(mqb.messages().stream().anyMatch(m -> m.isExtended() && m.frameId() > 0x7FF));

        DbcDatabase model3 = DbcDatabase.load(dbc.resolve("model3dbc/Model3CAN.dbc"));
        assertTrue(model3.warnings().stream().anyMatch(w -> w.message().contains("DI_lashAngle") && w.message().contains("does not fit")),
                "signal past the end of its message");

        DbcDatabase hyundai = DbcDatabase.load(dbc.resolve("opendbc-generated/hyundai_can_generated.dbc"));
        assertTrue(hyundai.warnings().stream().anyMatch(w -> w.message().startsWith("CM_ 145 without BO_")), hyundai.warnings().toString());

        DbcDatabase psa = DbcDatabase.load(dbc.resolve("opendbc/psa_aee2010_r3.dbc"));
        assertTrue(psa.signals().stream().anyMatch(s -> Character.isDigit(s.name().charAt(0))));

        DbcDatabase pcan = DbcDatabase.load(dbc.resolve("kona-ev-dbc/pcan.dbc"));
        assertFalse(pcan.messages().isEmpty(), "Kona file without BS_/BU_ loads");

        DbcDatabase pq = DbcDatabase.load(dbc.resolve("opendbc/vw_pq.dbc"));
        assertTrue(pq.warnings().stream().anyMatch(w -> w.message().contains("overlaps")), "overlapping signals warned");
    }
}
