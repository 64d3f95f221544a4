package dev.vgate.input;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeYamlTest {
    @Test void nestingAThousandDeepIsRefusedWithOneLineNotAStackOverflow() {
        for (String deep : List.of("[".repeat(1000) + "]".repeat(1000), "{a: ".repeat(1000) + "1" + "}".repeat(1000),
                nestedBlock(1000))) {
            YamlEngineException e = assertThrows(YamlEngineException.class, () -> SafeYaml.load(deep, "t.yaml"));
            assertTrue(e.getMessage().startsWith("nesting deeper than 64 levels"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test void nestingUpToTheLimitLoads() {
        Object o = SafeYaml.load("[".repeat(64) + "1" + "]".repeat(64), "t.yaml");
        for (int i = 0; i < 63; i++) o = ((List<?>) o).get(0);
        assertEquals(List.of(1), o);
        assertEquals(Map.of("a", Map.of("b", 2)), SafeYaml.load("a:\n  b: 2\n", "t.yaml"));
    }

    @Test void duplicateKeysAndAliasBombsAreRefused() {
        assertThrows(YamlEngineException.class, () -> SafeYaml.load("a: 1\na: 2\n", "t.yaml"));
        StringBuilder lol = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 60; i++) lol.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        assertThrows(YamlEngineException.class, () -> SafeYaml.load(lol.toString(), "t.yaml"));
    }

    private static String nestedBlock(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) b.append("  ".repeat(i)).append("k:\n");
        return b.append("  ".repeat(depth)).append("v\n").toString();
    }
}
