package dev.vgate.rules.alert;

import dev.vgate.rules.RulesException;

/** The alert journal cannot be opened, read or written (disk full, read-only file system, bad permissions). */
public final class AlertStoreException extends RulesException {
    private static final long serialVersionUID = 1L;

    public AlertStoreException(String message, Throwable cause) { super(message, cause); }
}
