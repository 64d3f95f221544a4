package dev.vgate.buffer.wire;

import dev.vgate.buffer.TelemetryException;

/** A batch that cannot be read: bad protobuf, corrupt compression, inconsistent chunk. */
public class WireException extends TelemetryException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) { super(message); }

    public WireException(String message, Throwable cause) { super(message, cause); }
}
