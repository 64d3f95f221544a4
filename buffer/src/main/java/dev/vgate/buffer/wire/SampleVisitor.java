package dev.vgate.buffer.wire;

/** Receives decoded samples, chunk by chunk, oldest first within a chunk. */
@FunctionalInterface
public interface SampleVisitor {
    void sample(long timestampUs, String bus, String message, String signal, long raw, double value);
}
