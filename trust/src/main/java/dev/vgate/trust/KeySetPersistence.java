package dev.vgate.trust;

import java.util.Optional;

/** Where the active key set (a serialized KeySet) survives restarts. {@link #save} must be durable when it returns. */
public interface KeySetPersistence {
    Optional<byte[]> load() throws TrustException;

    void save(long version, byte[] keySet) throws TrustException;

    /** Nothing persisted, nothing kept (one-shot CLI checks, tests). */
    static KeySetPersistence inMemory() {
        return new KeySetPersistence() {
            private byte[] saved;

            @Override public synchronized Optional<byte[]> load() { return Optional.ofNullable(saved == null ? null : saved.clone()); }

            @Override public synchronized void save(long version, byte[] keySet) { saved = keySet.clone(); }
        };
    }
}
