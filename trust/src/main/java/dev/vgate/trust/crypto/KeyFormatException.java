package dev.vgate.trust.crypto;

import dev.vgate.trust.TrustException;

/** A key file or encoded key that cannot be used (wrong format, unsupported algorithm or curve). */
public class KeyFormatException extends TrustException {
    private static final long serialVersionUID = 1L;

    public KeyFormatException(String message) { super(message); }

    public KeyFormatException(String message, Throwable cause) { super(message, cause); }
}
