package dev.vgate.command.trust;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.command.crypto.PublicKey;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.CommandStateException;
import dev.vgate.command.verify.RejectReason;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootSignature;
import dev.vgate.protocol.command.SignedKeySet;
import org.tinylog.Logger;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * The active key set. Starts from the trust file, or from the persisted key set when that is newer;
 * {@link #apply} swaps in a root-signed successor and persists it before it takes effect, so a
 * revocation holds from the very next command and across restarts.
 */
public final class TrustStore {
    private final CommandStateDb db;
    private final Clock clock;
    private volatile KeySetState current;

    private TrustStore(CommandStateDb db, Clock clock, KeySetState current) {
        this.db = db;
        this.clock = clock;
        this.current = current;
    }

    public static TrustStore open(KeySetState fromTrustFile, CommandStateDb db, Clock clock) throws TrustException, CommandStateException {
        KeySetState start = fromTrustFile;
        var persisted = db.loadKeySet();
        if (persisted.isPresent()) {
            KeySetState stored;
            try {
                stored = KeySetState.fromProto(KeySet.parseFrom(persisted.get()), null);
            } catch (InvalidProtocolBufferException e) {
                throw new TrustException("persisted key set is corrupt: " + e.getMessage(), e);
            }
            if (stored.version() >= fromTrustFile.version()) {
                start = stored;
            } else {
                Logger.info("trust file key set version {} is newer than the persisted version {}; using the trust file",
                        fromTrustFile.version(), stored.version());
            }
        }
        return new TrustStore(db, clock, start);
    }

    public KeySetState current() { return current; }

    /**
     * Checks a SignedKeySet against the active roots, in this order: it parses and is consistent
     * (KEYSET_MALFORMED), at least threshold distinct active root keys signed its bytes
     * (KEYSET_THRESHOLD_NOT_MET), its version is above the active one (KEYSET_VERSION_NOT_NEWER).
     * Returns the generation it describes, not yet applied.
     */
    public KeySetState check(byte[] signedKeySet) throws KeySetRejectedException {
        KeySetState active = current;
        SignedKeySet signed;
        KeySet set;
        try {
            signed = SignedKeySet.parseFrom(signedKeySet);
            set = KeySet.parseFrom(signed.getKeySet());
        } catch (InvalidProtocolBufferException e) {
            throw new KeySetRejectedException(RejectReason.KEYSET_MALFORMED, "body is not a SignedKeySet: " + e.getMessage());
        }
        if (signed.getKeySet().isEmpty()) throw new KeySetRejectedException(RejectReason.KEYSET_MALFORMED, "key_set is empty");
        byte[] bytes = signed.getKeySet().toByteArray();
        Set<String> validSigners = new HashSet<>();
        for (RootSignature s : signed.getSignaturesList()) {
            PublicKey root = active.root(s.getKeyId());
            if (root != null && root.verify(bytes, s.getSignature().toByteArray())) validSigners.add(s.getKeyId());
        }
        KeySetState next;
        try {
            next = KeySetState.fromProto(set, active);
        } catch (TrustException e) {
            throw new KeySetRejectedException(RejectReason.KEYSET_MALFORMED, e.getMessage());
        }
        if (validSigners.size() < active.rootThreshold()) {
            throw new KeySetRejectedException(RejectReason.KEYSET_THRESHOLD_NOT_MET, validSigners.size()
                    + " valid root signature(s) " + validSigners + ", " + active.rootThreshold() + " required");
        }
        if (next.version() <= active.version()) {
            throw new KeySetRejectedException(RejectReason.KEYSET_VERSION_NOT_NEWER,
                    "version " + next.version() + " is not above the active version " + active.version());
        }
        return next;
    }

    /** Persists and activates a generation that {@link #check} returned. */
    public synchronized void apply(KeySetState next) throws CommandStateException, KeySetRejectedException {
        if (next.version() <= current.version()) {
            throw new KeySetRejectedException(RejectReason.KEYSET_VERSION_NOT_NEWER,
                    "version " + next.version() + " is not above the active version " + current.version());
        }
        db.saveKeySet(next.version(), next.toProto().toByteArray(), clock.millis());
        current = next;
        Logger.info("key set version {} active: {} key(s), {} revoked, {} root(s) threshold {}", next.version(),
                next.keys().size(), next.revoked().size(), next.roots().size(), next.rootThreshold());
    }
}
