package dev.vgate.dbc;

/**
 * A position in DBC text with line and column, and the small reads the grammar is made of. Every failed
 * expectation becomes a {@link DbcParseException} saying {@code file:line:column: expected X, found Y}.
 */
final class DbcCursor {
    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    DbcCursor(String file, String text) {
        this.file = file;
        this.text = text;
    }

    String file() { return file; }
    int line() { return line; }
    int column() { return pos - lineStart + 1; }
    boolean atEnd() { return pos >= text.length(); }
    char peek() { return atEnd() ? '\0' : text.charAt(pos); }

    /** True if the current position is the first non-blank character of its line. */
    boolean atLineStart() {
        for (int k = lineStart; k < pos; k++) if (!isBlank(text.charAt(k))) return false;
        return true;
    }

    private void advance() {
        char c = text.charAt(pos++);
        if (c == '\n') { line++; lineStart = pos; }
    }

    /** Skips blanks, line breaks and {@code //} comments (cantools accepts them too). */
    void skipSpace() {
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) advance();
            else if (atLineComment()) skipLine();
            else return;
        }
    }

    /** Skips blanks and a trailing {@code //} comment but stops at a line break. */
    void skipBlanks() {
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (isBlank(c)) advance();
            else if (atLineComment()) { while (!atEnd() && text.charAt(pos) != '\n') advance(); }
            else return;
        }
    }

    private boolean atLineComment() {
        return text.charAt(pos) == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/';
    }

    /** After {@link #skipSpace}: the next thing is a statement keyword at the start of its line (or the end). */
    boolean atStatementStart(java.util.Set<String> keywords) {
        skipSpace();
        if (atEnd()) return true;
        String w = peekWord();
        return w != null && keywords.contains(w) && atLineStart();
    }

    /** After {@link #skipBlanks}: at a line break or the end of the text. */
    boolean atLineEnd() {
        skipBlanks();
        return atEnd() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r';
    }

    void skipLine() {
        while (!atEnd() && text.charAt(pos) != '\n') advance();
    }

    /** Skips a statement we do not read: up to its ';' (outside strings) or a keyword starting a later line. */
    void skipStatement(java.util.Set<String> keywords) {
        boolean inString = false;
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (inString) {
                if (c == '\\' && pos + 1 < text.length()) advance();
                else if (c == '"') inString = false;
                advance();
                continue;
            }
            if (c == '"') { inString = true; advance(); continue; }
            if (c == ';') { advance(); return; }
            if (c == '\n') {
                advance();
                skipBlanks();
                String w = peekWord();
                if (w != null && keywords.contains(w)) return;
                continue;
            }
            advance();
        }
    }

    static boolean isWordChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B'; }

    String peekWord() {
        int end = pos;
        while (end < text.length() && isWordChar(text.charAt(end))) end++;
        return end == pos ? null : text.substring(pos, end);
    }

    /** Reads a word ([A-Za-z0-9_]+) after blanks and line breaks, or null (nothing consumed) if there is none. */
    String word() {
        skipSpace();
        String w = peekWord();
        if (w != null) for (int k = 0; k < w.length(); k++) advance();
        return w;
    }

    String identifier(String what) throws DbcParseException {
        skipSpace();
        String w = peekWord();
        if (w == null) throw expected(what);
        return word();
    }

    /** Consumes {@code c} (after blanks and line breaks) if it is next. */
    boolean accept(char c) {
        skipSpace();
        if (!atEnd() && text.charAt(pos) == c) { advance(); return true; }
        return false;
    }

    void expect(char c) throws DbcParseException {
        if (!accept(c)) throw expected("'" + c + "'");
    }

    void expectWord(String w) throws DbcParseException {
        skipSpace();
        if (!w.equals(peekWord())) throw expected("'" + w + "'");
        word();
    }

    /** A decimal number: [+-]digits[.digits][e[+-]digits]. */
    double number(String what) throws DbcParseException {
        skipSpace();
        int end = scanNumber(pos);
        if (end < 0) throw expected(what);
        String s = text.substring(pos, end);
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw expected(what);
        }
        while (pos < end) advance();
        return v;
    }

    /** A decimal integer that fits in a long. */
    long integer(String what) throws DbcParseException {
        skipSpace();
        int end = pos;
        if (end < text.length() && (text.charAt(end) == '-' || text.charAt(end) == '+')) end++;
        int digitsStart = end;
        while (end < text.length() && Character.isDigit(text.charAt(end)) && text.charAt(end) < 128) end++;
        if (end == digitsStart || (end < text.length() && (isWordChar(text.charAt(end)) || text.charAt(end) == '.'))) {
            throw expected(what);
        }
        long v;
        try {
            v = Long.parseLong(text.substring(text.charAt(pos) == '+' ? pos + 1 : pos, end));
        } catch (NumberFormatException e) {
            throw error(what + " within 64 bits", describe());
        }
        while (pos < end) advance();
        return v;
    }

    /** True if a number starts here (after blanks and line breaks). */
    boolean atNumber() {
        skipSpace();
        return scanNumber(pos) > 0;
    }

    private int scanNumber(int p) {
        int n = text.length();
        int i = p;
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) i++;
        int digits = 0;
        while (i < n && isAsciiDigit(text.charAt(i))) { i++; digits++; }
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isAsciiDigit(text.charAt(i))) { i++; digits++; }
        }
        if (digits == 0) return -1;
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (text.charAt(j) == '-' || text.charAt(j) == '+')) j++;
            int expDigits = 0;
            while (j < n && isAsciiDigit(text.charAt(j))) { j++; expDigits++; }
            if (expDigits == 0) return -1;
            i = j;
        }
        if (i < n && (isWordChar(text.charAt(i)) || text.charAt(i) == '.')) return -1; // "12abc", "1.2.3"
        return i;
    }

    private static boolean isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

    /** A double-quoted string; backslash escapes the next character. May span lines. */
    String string(String what) throws DbcParseException {
        skipSpace();
        if (peek() != '"') throw expected(what);
        int startLine = line;
        int startCol = column();
        advance();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) throw new DbcParseException(file, startLine, startCol, "expected the closing '\"' of the string started here, found end of file");
            char c = text.charAt(pos);
            if (c == '"') { advance(); return sb.toString(); }
            if (c == '\\' && pos + 1 < text.length()) {
                advance();
                c = text.charAt(pos);
            }
            sb.append(c);
            advance();
        }
    }

    DbcParseException expected(String what) {
        skipSpace();
        return error(what, describe());
    }

    DbcParseException error(String what, String found) {
        return new DbcParseException(file, line, column(), "expected " + what + ", found " + found);
    }

    /** What the text holds at the current position, for error messages. */
    String describe() {
        if (atEnd()) return "end of file";
        char c = text.charAt(pos);
        if (c == '\n' || c == '\r') return "end of line";
        if (isWordChar(c) || c == '-' || c == '+' || c == '.') {
            int end = pos;
            while (end < text.length() && end - pos < 40 && (isWordChar(text.charAt(end)) || text.charAt(end) == '.'
                    || ((text.charAt(end) == '-' || text.charAt(end) == '+') && end == pos))) end++;
            return "'" + text.substring(pos, end) + "'";
        }
        if (c == '"') {
            // the string as far as it is on this line (an unclosed quote would otherwise drag the rest of the file in)
            StringBuilder b = new StringBuilder("string \"");
            int end = pos + 1;
            while (end < text.length() && end - pos <= 30 && text.charAt(end) != '"' && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                char x = text.charAt(end++);
                if (x < 0x20 || Character.isISOControl(x)) b.append(String.format("\\u%04X", (int) x));
                else b.append(x);
            }
            return end < text.length() && text.charAt(end) == '"' ? b.append('"').toString() : b.append("...").toString();
        }
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || Character.isISOControl(c) || c == '\uFFFD') {
            return String.format("character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
