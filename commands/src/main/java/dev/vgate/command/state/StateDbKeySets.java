package dev.vgate.command.state;

import dev.vgate.trust.KeySetPersistence;
import dev.vgate.trust.TrustException;

import java.time.Clock;
import java.util.Optional;

/**
 * The key set kept in commands.db, where it lived before the trust store had its own file (the daemon carries it
 * over once with {@link CommandStateDb#readKeySet}): the persistence of {@code vgate cmd verify --state}.
 */
public final class StateDbKeySets implements KeySetPersistence {
    private final CommandStateDb db;
    private final Clock clock;

    public StateDbKeySets(CommandStateDb db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override public Optional<byte[]> load() throws TrustException {
        try {
            return db.loadKeySet();
        } catch (CommandStateException e) {
            throw new TrustException(e.getMessage(), e);
        }
    }

    @Override public void save(long version, byte[] keySet) throws TrustException {
        try {
            db.saveKeySet(version, keySet, clock.millis());
        } catch (CommandStateException e) {
            throw new TrustException(e.getMessage(), e);
        }
    }
}
