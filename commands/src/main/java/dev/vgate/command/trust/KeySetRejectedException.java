package dev.vgate.command.trust;

import dev.vgate.command.CommandException;
import dev.vgate.command.verify.RejectReason;

/** A key-set update that must not be applied, with the reason code it is rejected under. */
public class KeySetRejectedException extends CommandException {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    public KeySetRejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() { return reason; }
}
