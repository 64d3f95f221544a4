package dev.vgate.ota;

/**
 * The one exception root of the OTA client. Every failure carries a {@link Reason} so callers (the CLI,
 * the outcome report for the cloud) can tell a refused update from a broken device without parsing text.
 */
public class OtaException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an update was refused or failed. Rejections are expected answers; the others are faults. */
    public enum Reason {
        MALFORMED_MANIFEST(true), BAD_SIGNATURE(true), UNKNOWN_KEY(true), KEY_REVOKED(true), WRONG_ROLE(true), EXPIRED(true),
        DOWNGRADE(true), WRONG_HARDWARE(true), WRONG_BASE_IMAGE(true), PATCH_HASH_MISMATCH(true),
        CORRUPT_PATCH(true), TARGET_HASH_MISMATCH(true), SLOT_TOO_SMALL(true),
        DOWNLOAD_FAILED(false), TRUST_STORE(false), BOOT_CONTROL(false), STATE_STORE(false),
        IO(false), ABORTED(false), HEALTH_CHECK_FAILED(true), BUSY(false), CONFIG(false);

        private final boolean rejection;

        Reason(boolean rejection) { this.rejection = rejection; }

        /** True when the update itself was refused (exit code 2), false for a device or tool fault. */
        public boolean isRejection() { return rejection; }
    }

    private final Reason reason;

    // messages often quote a library's exception text: ErrorText keeps them one line, without Java class names
    public OtaException(Reason reason, String message) {
        super(dev.vgate.input.ErrorText.clean(message));
        this.reason = reason;
    }

    public OtaException(Reason reason, String message, Throwable cause) {
        super(dev.vgate.input.ErrorText.clean(message), cause);
        this.reason = reason;
    }

    public Reason reason() { return reason; }

    @Override public String getMessage() { return reason + ": " + super.getMessage(); }
}
