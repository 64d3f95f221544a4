package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonStringTest {
    private static String json(String s) { return JsonString.append(new StringBuilder("x="), s).toString(); }

    @Test void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("x=\"\"", json(""));
        assertEquals("x=\"BMS_Temp > 60 °C\"", json("BMS_Temp > 60 °C"));
        assertEquals("x=\"a\\\"b\\\\c\"", json("a\"b\\c"));
        assertEquals("x=\"1\\n2\\r3\\t4\"", json("1\n2\r3\t4"));
        assertEquals("x=\"\\u0000\\u001f\\u001b\\u0008\"", json("\0\u001f\u001b\b"));
        assertEquals("x=\"\u007f\u2028\"", json("\u007f\u2028"));
    }
}
