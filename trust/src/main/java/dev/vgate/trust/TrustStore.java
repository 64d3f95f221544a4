package dev.vgate.trust;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.input.Untrusted;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootSignature;
import dev.vgate.protocol.command.SignedKeySet;
import org.tinylog.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The device's one trust store: the active key set, against which commands, update manifests and
 * configuration updates are all verified ({@link #verify}). It starts from the trust file, or from the
 * persisted key set when that is at least as new; {@link #apply} swaps in a root-signed successor and
 * persists it before it takes effect, so a rotation or revocation holds for the very next command,
 * manifest or configuration update, and across restarts. Thread-safe.
 *
 * <pre>
 * TrustVerdict v = trust.verify(Roles.CONFIG, signedBytes, signature, keyId);
 * if (v instanceof TrustVerdict.Refused r) reject(r.reasonCode(), r.detail());   // KEY_REVOKED, UNKNOWN_KEY, ...
 * </pre>
 */
public final class TrustStore {
    /** A key id from the wire is quoted at most this long in a refusal (it is escaped, too: it is untrusted). */
    private static final int MAX_ID_CHARS = 64;
    /** A signed key set is small; this bounds what is parsed from a command body. */
    public static final int MAX_SIGNED_KEY_SET_BYTES = 256 * 1024;
    private final KeySetPersistence persistence;
    private final List<Consumer<KeySetState>> listeners = new CopyOnWriteArrayList<>();
    private volatile KeySetState current;

    private TrustStore(KeySetPersistence persistence, KeySetState current) {
        this.persistence = persistence;
        this.current = current;
    }

    /**
     * @param fromTrustFile the generation the trust file describes
     * @param persistence   where rotations are kept; its key set is used when at least as new as the file's
     */
    public static TrustStore open(KeySetState fromTrustFile, KeySetPersistence persistence) throws TrustException {
        KeySetState start = fromTrustFile;
        var persisted = persistence.load();
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
        return new TrustStore(persistence, start);
    }

    /** A store that keeps nothing: for one-shot checks of a trust file ({@code vgate ota apply --trust}, tests). */
    public static TrustStore of(KeySetState state) {
        return new TrustStore(KeySetPersistence.inMemory(), state);
    }

    public KeySetState current() { return current; }

    /** Called with each new generation after it is persisted and active (status reports, logs). */
    public void onChange(Consumer<KeySetState> listener) { listeners.add(listener); }

    /**
     * Did a key trusted for {@code role} sign {@code signedBytes}? Checks in this order, the first failure
     * deciding: the key id is revoked (KEY_REVOKED), unknown (UNKNOWN_KEY), the signature does not verify
     * (BAD_SIGNATURE), the key does not hold the role (ROLE_NOT_ALLOWED). The signature is checked before the
     * role so a forger learns nothing about which keys hold which roles. Never throws on bad input.
     *
     * @param role a command type ({@code unlock}), {@link Roles#OTA} or {@link Roles#CONFIG}; the caller puts its
     *             own domain-separation prefix into {@code signedBytes} (see {@link SigningContext})
     */
    public TrustVerdict verify(String role, byte[] signedBytes, byte[] signature, String keyId) {
        if (!Roles.isKnown(role)) throw new IllegalArgumentException("unknown role '" + role + "'"); // a caller bug, not input
        KeySetState keys = current;
        String id = keyId == null ? "" : keyId;
        if (keys.isRevoked(id)) {
            return new TrustVerdict.Refused(TrustReason.KEY_REVOKED, "key '" + Untrusted.escape(id, MAX_ID_CHARS) + "' is revoked (key set version " + keys.version() + ")");
        }
        TrustedKey key = keys.key(id);
        if (key == null) {
            String what = keys.root(id) != null ? "'" + id + "' is a root key; root keys sign key sets only" : "no trusted key '" + Untrusted.escape(id, MAX_ID_CHARS) + "'";
            return new TrustVerdict.Refused(keys.root(id) != null ? TrustReason.ROLE_NOT_ALLOWED : TrustReason.UNKNOWN_KEY, what);
        }
        if (signedBytes == null || signature == null || !key.publicKey().verify(signedBytes, signature)) {
            return new TrustVerdict.Refused(TrustReason.BAD_SIGNATURE, "signature does not verify with key '" + id + "' ("
                    + key.publicKey().algorithm().cliName() + ")");
        }
        if (!key.mayActAs(role)) {
            return new TrustVerdict.Refused(TrustReason.ROLE_NOT_ALLOWED, "key '" + id + "' may not sign for '" + role + "'");
        }
        return new TrustVerdict.Trusted(id, key.publicKey().algorithm(), keys.version());
    }

    /** One root signature over some bytes (a key set's, or a root-approved manifest's). */
    public record RootSig(String keyId, byte[] signature) {}

    /**
     * How many distinct root public keys of the active set validly signed {@code bytes}; a key listed under
     * two ids, or one id signing twice, counts once. Compare with {@link KeySetState#rootThreshold()}.
     */
    public int distinctRootSigners(byte[] bytes, List<RootSig> signatures) {
        return rootSigners(current, bytes, signatures).size();
    }

    /** True when at least the root threshold of the active set signed {@code bytes}. */
    public boolean rootApproved(byte[] bytes, List<RootSig> signatures) {
        KeySetState keys = current;
        return keys.rootThreshold() > 0 && rootSigners(keys, bytes, signatures).size() >= keys.rootThreshold();
    }

    private static Set<PublicKey> rootSigners(KeySetState keys, byte[] bytes, List<RootSig> signatures) {
        Set<PublicKey> valid = new HashSet<>();
        for (RootSig s : signatures) {
            PublicKey root = keys.root(s.keyId());
            if (root != null && root.verify(bytes, s.signature())) valid.add(root);
        }
        return valid;
    }

    /**
     * Checks a SignedKeySet against the active roots, in this order: it parses and is consistent
     * (KEYSET_MALFORMED), at least threshold distinct active root public keys signed its bytes
     * (KEYSET_THRESHOLD_NOT_MET), its version is above the active one (KEYSET_VERSION_NOT_NEWER).
     * Returns the generation it describes, not yet applied.
     */
    public KeySetState check(byte[] signedKeySet) throws KeySetRejectedException {
        KeySetState active = current;
        if (signedKeySet.length > MAX_SIGNED_KEY_SET_BYTES) {
            throw new KeySetRejectedException(TrustReason.KEYSET_MALFORMED, "signed key set is " + signedKeySet.length
                    + " bytes, more than " + MAX_SIGNED_KEY_SET_BYTES);
        }
        SignedKeySet signed;
        KeySet set;
        try {
            signed = parseSigned(signedKeySet);
            set = KeySet.parseFrom(signed.getKeySet());
        } catch (IOException e) {
            throw new KeySetRejectedException(TrustReason.KEYSET_MALFORMED, "body is not a SignedKeySet: " + e.getMessage());
        }
        if (signed.getKeySet().isEmpty()) throw new KeySetRejectedException(TrustReason.KEYSET_MALFORMED, "key_set is empty");
        if (signed.getSignaturesCount() > KeySetState.MAX_ROOTS) {
            throw new KeySetRejectedException(TrustReason.KEYSET_MALFORMED, signed.getSignaturesCount() + " signatures, at most " + KeySetState.MAX_ROOTS);
        }
        byte[] bytes = signed.getKeySet().toByteArray();
        List<RootSig> sigs = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (RootSignature s : signed.getSignaturesList()) {
            sigs.add(new RootSig(s.getKeyId(), s.getSignature().toByteArray()));
            if (active.root(s.getKeyId()) != null) ids.add(s.getKeyId());
        }
        KeySetState next;
        try {
            next = KeySetState.fromProto(set, active);
        } catch (TrustException e) {
            throw new KeySetRejectedException(TrustReason.KEYSET_MALFORMED, e.getMessage());
        }
        int distinct = rootSigners(active, bytes, sigs).size();
        if (distinct < active.rootThreshold()) {
            throw new KeySetRejectedException(TrustReason.KEYSET_THRESHOLD_NOT_MET, distinct
                    + " distinct valid root key(s) among the signers " + ids + ", " + active.rootThreshold() + " required");
        }
        if (next.version() <= active.version()) {
            throw new KeySetRejectedException(TrustReason.KEYSET_VERSION_NOT_NEWER,
                    "version " + next.version() + " is not above the active version " + active.version());
        }
        return next;
    }

    /** Parses a SignedKeySet with a recursion limit: the message nests nothing, so deep input is malformed. */
    static SignedKeySet parseSigned(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setRecursionLimit(8);
        SignedKeySet s = SignedKeySet.parseFrom(in);
        in.checkLastTagWas(0);
        return s;
    }

    /** Persists and activates a generation that {@link #check} returned. */
    public synchronized void apply(KeySetState next) throws TrustException {
        if (next.version() <= current.version()) {
            throw new KeySetRejectedException(TrustReason.KEYSET_VERSION_NOT_NEWER,
                    "version " + next.version() + " is not above the active version " + current.version());
        }
        persistence.save(next.version(), next.toProto().toByteArray());
        current = next;
        Logger.info("key set version {} active: {} key(s), {} revoked, {} root(s) threshold {}", next.version(),
                next.keys().size(), next.revoked().size(), next.roots().size(), next.rootThreshold());
        for (Consumer<KeySetState> l : listeners) l.accept(next);
    }
}
