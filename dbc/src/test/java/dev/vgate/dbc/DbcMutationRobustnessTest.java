package dev.vgate.dbc;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutants of the demo DBC and of real DBCs (truncated anywhere, characters replaced by syntax characters,
 * spans deleted, lines duplicated or swapped): each either loads, and then decodes any frame without an
 * exception, or fails with a {@link DbcParseException} saying {@code file:line:column: expected ...}. No other
 * exception type may escape: a bad DBC pushed to a vehicle must be a clear refusal, never a crash.
 */
class DbcMutationRobustnessTest {
    private static final Pattern ERROR = Pattern.compile("^mutant-[0-9]+\\.dbc:[0-9]+:[0-9]+: expected .+");
    private static final String NASTY = "\"\":|@()[],;+-.eE0123456789MmxX_ \n\t\u0000\u00e9\u00b0\\";

    @Test
    void everyMutantOfTheDemoDbcLoadsOrFailsWithALocatedParseError() throws Exception {
        int[] outcome = mutateAndLoad(demoText(), 1000, 20261123L);
        System.out.printf("demo DBC mutants: %d loaded, %d refused with a located error%n", outcome[0], outcome[1]);
        assertTrue(outcome[0] > 100 && outcome[1] > 100, "the mutations exercise both outcomes: " + outcome[0] + " loaded, " + outcome[1] + " refused");
    }

    /** Real files have the quirks (extended multiplexing, digit-led names, long comments, Windows-1252 units). */
    @Test
    void everyMutantOfRealDbcsLoadsOrFailsWithALocatedParseError() throws Exception {
        Path shared = SharedData.dir();
        for (String file : List.of("dbc/kona-ev-dbc/pcan.dbc", "dbc/opendbc/vw_pq.dbc", "dbc/opendbc/psa_aee2010_r3.dbc", "dbc/model3dbc/Model3CAN.dbc")) {
            String text = DbcText.decode(Files.readAllBytes(shared.resolve(file)));
            int[] outcome = mutateAndLoad(text, 25, file.hashCode());
            System.out.printf("%s mutants: %d loaded, %d refused with a located error%n", file, outcome[0], outcome[1]);
        }
    }

    /** Returns {loaded, refused}; fails on any other outcome. */
    private static int[] mutateAndLoad(String original, int mutants, long seed) {
        Random rnd = new Random(seed);
        List<String> failures = new ArrayList<>();
        int loaded = 0, refused = 0;
        for (int n = 0; n < mutants; n++) {
            String mutant = mutate(original, rnd, n);
            String name = "mutant-" + n + ".dbc";
            try {
                DbcDatabase db = DbcDatabase.parse(mutant, name);
                decodeEverythingOnce(db, rnd);
                loaded++;
            } catch (DbcParseException e) {
                refused++;
                if (!ERROR.matcher(e.getMessage()).matches() || e.getMessage().contains("\n")) {
                    failures.add(name + ": not a one-line 'file:line:column: expected ...' error: " + e.getMessage());
                }
            } catch (DbcException e) {
                failures.add(name + ": " + e.getClass().getSimpleName() + " without a location: " + e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                failures.add(name + ": unexpected " + e + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            }
            if (failures.size() >= 10) break;
        }
        if (!failures.isEmpty()) fail(failures.size() + " bad outcomes, e.g.:\n" + String.join("\n", failures));
        return new int[] {loaded, refused};
    }

    /** One of five kinds of damage, chosen by n so that every kind gets its share. */
    private static String mutate(String s, Random rnd, int n) {
        int at = rnd.nextInt(s.length());
        switch (n % 5) {
            case 0: // truncated anywhere
                return s.substring(0, at);
            case 1: { // a few characters replaced by syntax characters
                StringBuilder b = new StringBuilder(s);
                for (int k = 0, c = 1 + rnd.nextInt(3); k < c; k++) {
                    b.setCharAt(rnd.nextInt(b.length()), NASTY.charAt(rnd.nextInt(NASTY.length())));
                }
                return b.toString();
            }
            case 2: // a span deleted
                return s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + rnd.nextInt(40)));
            case 3: { // a syntax character inserted
                return s.substring(0, at) + NASTY.charAt(rnd.nextInt(NASTY.length())) + s.substring(at);
            }
            default: { // a line duplicated or moved elsewhere
                String[] lines = s.split("\n", -1);
                List<String> out = new ArrayList<>(List.of(lines));
                String line = lines[rnd.nextInt(lines.length)];
                if (rnd.nextBoolean()) out.remove(line);
                out.add(rnd.nextInt(out.size() + 1), line);
                return String.join("\n", out);
            }
        }
    }

    /** A random payload of the right length (and a short one) for every message: decoding never throws. */
    private static void decodeEverythingOnce(DbcDatabase db, Random rnd) {
        FrameDecoder d = db.newDecoder();
        SignalSink sink = (s, raw, value) -> { };
        for (Message m : db.messages()) {
            byte[] data = new byte[m.length()];
            rnd.nextBytes(data);
            d.decode(m.frameId(), m.isExtended(), data, data.length, sink);
            if (d.lastError() != null) d.lastError().length();
            d.decode(m.frameId(), m.isExtended(), data, Math.max(0, data.length - 1), sink);
            d.lastError().length();
        }
    }

    private static String demoText() throws Exception {
        try (InputStream in = DemoDbc.class.getResourceAsStream(DemoDbc.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
