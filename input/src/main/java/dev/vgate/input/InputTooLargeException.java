package dev.vgate.input;

import java.io.IOException;

/** A file or stream holds more than its documented limit; nothing beyond the limit was read. */
public final class InputTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public InputTooLargeException(String what, long limit) {
        super(what + " is larger than the limit of " + limit + " bytes");
    }
}
