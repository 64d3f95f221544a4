package dev.vgate.buffer.codec;

import dev.vgate.buffer.TelemetryException;

/** Malformed chunk data (truncated stream, counts that do not match). */
public class CodecException extends TelemetryException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) { super(message); }
}
