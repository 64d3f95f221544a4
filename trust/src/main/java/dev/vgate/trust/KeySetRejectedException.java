package dev.vgate.trust;

/** A key-set update that must not be applied, with the reason code it is rejected under. */
public class KeySetRejectedException extends TrustException {
    private static final long serialVersionUID = 1L;
    private final TrustReason reason;

    public KeySetRejectedException(TrustReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TrustReason reason() { return reason; }
}
