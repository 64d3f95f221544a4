package dev.vgate.trust;

import dev.vgate.input.Untrusted;

/**
 * A trust file, key or key set that cannot be used; the message says what and where. Messages quote
 * untrusted text (key ids, paths from a trust file or a key-set update), so every message is kept to one
 * printable line here, once, rather than at each of the many places that build one.
 */
public class TrustException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Longest message kept: quoted input is cut, a message never grows with the input. */
    private static final int MAX_MESSAGE_CHARS = 2000;

    public TrustException(String message) { super(oneLine(message)); }

    public TrustException(String message, Throwable cause) { super(oneLine(message), cause); }

    private static String oneLine(String message) { return Untrusted.escape(message, MAX_MESSAGE_CHARS); }
}
