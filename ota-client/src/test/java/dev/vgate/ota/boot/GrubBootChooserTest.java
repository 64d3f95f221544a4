package dev.vgate.ota.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrubBootChooserTest {
    @TempDir Path dir;

    @Test void blockIsExactly1024BytesAndRoundTrips() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ORDER", "A B");
        v.put("odd", "back\\slash");
        byte[] b = GrubEnv.encode(v);
        assertEquals(1024, b.length);
        assertTrue(new String(b, StandardCharsets.ISO_8859_1).startsWith("# GRUB Environment Block\nORDER=A B\n"));
        assertEquals(v, GrubEnv.decode(b));
        v.put("big", "x".repeat(1100));
        assertThrows(IllegalArgumentException.class, () -> GrubEnv.encode(v));
    }

    @Test void raucVariables() throws Exception {
        Path env = dir.resolve("grubenv");
        Files.write(env, GrubEnv.encode(Map.of("ORDER", "A B", "A_OK", "1", "A_TRY", "0", "B_OK", "1", "B_TRY", "0")));
        GrubBootChooser g = new GrubBootChooser(env);
        assertEquals("A", g.getPrimary());
        g.setState("B", SlotState.BAD);
        g.setPrimary("B");
        assertEquals("B", g.getPrimary());
        // grub.cfg sets B_TRY=1 when it boots B; until committed, a second boot skips to A
        Map<String, String> v = new LinkedHashMap<>(GrubEnv.decode(Files.readAllBytes(env)));
        v.put("B_TRY", "1");
        Files.write(env, GrubEnv.encode(v));
        assertEquals(SlotState.TRIAL, g.getState("B"));
        assertEquals("A", g.getPrimary());
        g.setState("B", SlotState.GOOD);
        assertEquals("B", g.getPrimary());
        assertEquals(1024, Files.size(env));
        assertTrue(Files.notExists(dir.resolve("grubenv.tmp")));
    }
}
