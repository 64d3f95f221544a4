package dev.vgate.trust;

/** A trust file, key or key set that cannot be used; the message says what and where. */
public class TrustException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrustException(String message) { super(message); }

    public TrustException(String message, Throwable cause) { super(message, cause); }
}
