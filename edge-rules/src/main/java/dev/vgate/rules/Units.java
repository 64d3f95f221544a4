package dev.vgate.rules;

import java.util.Locale;

/** Unit spellings that mean the same thing ("°C" and "degC"); no conversion: rules use the DBC's units. */
final class Units {
    private Units() {}

    static String normalize(String unit) {
        if (unit == null) return null;
        String u = unit.trim().replace("°C", "degC").replace("°F", "degF").replace("deg C", "degC")
                .replace("²", "2").replace("m/s^2", "m/s2").replace("kph", "km/h");
        return u.toLowerCase(Locale.ROOT);
    }

    static boolean same(String a, String b) { return normalize(a).equals(normalize(b)); }
}
