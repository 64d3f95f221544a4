package dev.vgate.ota.manifest;

import java.util.regex.Pattern;

/**
 * A release version such as {@code 2.14.0} or {@code 2.14.0-rc1}: components separated by '.', '-' or '+',
 * numeric components compared as numbers (so 1.10 > 1.9), others as text; a numeric component ranks above a
 * textual one at the same place (so 2.0.1 > 2.0.rc1).
 */
public final class Version implements Comparable<Version> {
    private static final Pattern VALID = Pattern.compile("[0-9A-Za-z]+([.+\\-][0-9A-Za-z]+)*");
    private static final int MAX_LENGTH = 64;
    private final String text;
    private final String[] parts;

    private Version(String text) {
        this.text = text;
        this.parts = text.split("[.+\\-]");
    }

    /** @throws IllegalArgumentException naming the problem when the text is not a version */
    public static Version parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("version is empty");
        if (text.length() > MAX_LENGTH) throw new IllegalArgumentException("version longer than " + MAX_LENGTH + " characters");
        if (!VALID.matcher(text).matches()) throw new IllegalArgumentException("version \"" + text + "\" is not dotted alphanumerics");
        return new Version(text);
    }

    @Override public int compareTo(Version o) {
        int n = Math.max(parts.length, o.parts.length);
        for (int i = 0; i < n; i++) {
            String a = i < parts.length ? parts[i] : "0";
            String b = i < o.parts.length ? o.parts[i] : "0";
            boolean an = a.chars().allMatch(Character::isDigit), bn = b.chars().allMatch(Character::isDigit);
            int c;
            if (an && bn) {
                String as = a.replaceFirst("^0+(?=.)", ""), bs = b.replaceFirst("^0+(?=.)", "");
                c = as.length() != bs.length() ? Integer.compare(as.length(), bs.length()) : as.compareTo(bs);
            } else if (an != bn) {
                c = an ? 1 : -1;
            } else {
                c = a.compareTo(b);
            }
            if (c != 0) return c;
        }
        return 0;
    }

    @Override public boolean equals(Object o) { return o instanceof Version v && compareTo(v) == 0; }
    @Override public int hashCode() { return text.hashCode(); }
    @Override public String toString() { return text; }
}
