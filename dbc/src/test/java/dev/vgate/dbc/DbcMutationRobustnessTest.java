package dev.vgate.dbc;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Thousands of seeded mutants of the demo DBC (truncated anywhere, characters replaced by syntax characters,
 * spans deleted, lines duplicated or swapped): each either loads, and then decodes any frame without an
 * exception, or fails with a {@link DbcParseException} saying {@code file:line:column: expected ...}. No other
 * exception type may escape: a bad DBC pushed to a vehicle must be a clear refusal, never a crash.
 */
class DbcMutationRobustnessTest {
    private static final Pattern ERROR = Pattern.compile("^mutant-[0-9]+\\.dbc:[0-9]+:[0-9]+: expected .+");
    private static final String NASTY = "\"\":|@()[],;+-.eE0123456789MmxX_ \n\t\u0000\u00e9\u00b0\\";

    @Test
    void everyMutantLoadsOrFailsWithALocatedParseError() throws Exception {
        String original = demoText();
        Random rnd = new Random(20261123L);
        List<String> failures = new ArrayList<>();
        int loaded = 0, refused = 0;
        for (int n = 0; n < 3000; n++) {
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
        System.out.printf("DBC mutants: %d loaded, %d refused with a located error%n", loaded, refused);
        assertTrue(loaded > 100 && refused > 100, "the mutations exercise both outcomes: " + loaded + " loaded, " + refused + " refused");
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
