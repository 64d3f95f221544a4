package dev.vgate.buffer.store;

import dev.vgate.buffer.codec.ValueEncoding;

/** What the buffer knows about one signal on one bus: enough for the cloud to decode without the DBC. */
public record StreamInfo(String bus, String message, String signal, int signalIndex, int frameId,
                         ValueEncoding encoding, double factor, double offset) {}
