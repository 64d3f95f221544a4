package dev.vgate.buffer.policy;

import dev.vgate.buffer.TelemetryException;

/** An invalid policy file; the message names the file, the rule and the field. */
public class PolicyException extends TelemetryException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) { super(message); }

    public PolicyException(String message, Throwable cause) { super(message, cause); }
}
