package dev.vgate.buffer.collect;

import dev.vgate.buffer.store.BatchRecord;

/** Told about each alert right after it was committed, so the uploader can publish it at once. */
@FunctionalInterface
public interface AlertListener {
    AlertListener NONE = batch -> { };

    void alertCommitted(BatchRecord batch);
}
