package dev.vgate.command.trust;

import dev.vgate.command.crypto.KeyFormatException;
import dev.vgate.command.crypto.PublicKey;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootKey;
import com.google.protobuf.ByteString;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One immutable generation of trust: command keys with their roles, revoked key ids, the root keys that
 * sign the next generation, and how many of them must sign. Built only through {@link #create}, which
 * enforces the invariants every generation must hold.
 */
public final class KeySetState {
    private final long version;
    private final Map<String, TrustedKey> keys;
    private final Set<String> revoked;
    private final Map<String, PublicKey> roots;
    private final int rootThreshold;

    private KeySetState(long version, Map<String, TrustedKey> keys, Set<String> revoked,
                        Map<String, PublicKey> roots, int rootThreshold) {
        this.version = version;
        this.keys = keys;
        this.revoked = revoked;
        this.roots = roots;
        this.rootThreshold = rootThreshold;
    }

    /** Validates and builds a generation; the message of the exception names the offending key. */
    public static KeySetState create(long version, Map<String, TrustedKey> keys, Set<String> revoked,
                                     Map<String, PublicKey> roots, int rootThreshold) throws TrustException {
        if (version < 0) throw new TrustException("key set version " + version + " is negative");
        for (String id : keys.keySet()) {
            checkId(id);
            if (revoked.contains(id)) throw new TrustException("key '" + id + "' is both listed and revoked");
            if (roots.containsKey(id)) throw new TrustException("key id '" + id + "' is used by a command key and a root key");
        }
        for (String id : roots.keySet()) {
            checkId(id);
            if (revoked.contains(id)) throw new TrustException("root key '" + id + "' is revoked");
        }
        if (roots.isEmpty() && rootThreshold != 0) throw new TrustException("root threshold " + rootThreshold + " without root keys");
        if (!roots.isEmpty() && (rootThreshold < 1 || rootThreshold > roots.size())) {
            throw new TrustException("root threshold " + rootThreshold + " not in 1.." + roots.size() + " (the number of root keys)");
        }
        return new KeySetState(version, Map.copyOf(keys), Set.copyOf(revoked), Map.copyOf(roots), rootThreshold);
    }

    static void checkId(String id) throws TrustException {
        if (id == null || id.isEmpty() || id.length() > 128 || !id.matches("[A-Za-z0-9._:@-]+")) {
            throw new TrustException("invalid key id '" + id + "' (1..128 of A-Z a-z 0-9 . _ : @ -)");
        }
    }

    public long version() { return version; }

    public TrustedKey key(String id) { return keys.get(id); }

    public Map<String, TrustedKey> keys() { return keys; }

    public boolean isRevoked(String id) { return revoked.contains(id); }

    public Set<String> revoked() { return revoked; }

    public PublicKey root(String id) { return roots.get(id); }

    public Map<String, PublicKey> roots() { return roots; }

    public int rootThreshold() { return rootThreshold; }

    /** The complete generation as a KeySet message (roots included), for persisting. */
    public KeySet toProto() {
        KeySet.Builder b = KeySet.newBuilder().setVersion(version).setRootThreshold(rootThreshold);
        keys.values().stream().sorted(java.util.Comparator.comparing(TrustedKey::id)).forEach(k -> b.addKeys(KeyEntry.newBuilder()
                .setId(k.id()).setPublicKey(ByteString.copyFrom(k.publicKey().encoded()))
                .addAllCommands(new TreeSet<>(k.commands()))));
        b.addAllRevoked(new TreeSet<>(revoked));
        new TreeSet<>(roots.keySet()).forEach(id -> b.addRoots(RootKey.newBuilder().setId(id)
                .setPublicKey(ByteString.copyFrom(roots.get(id).encoded()))));
        return b.build();
    }

    /**
     * Builds the generation a KeySet message describes. Roots and threshold come from the message when it
     * names roots, else from {@code previous}; revocations accumulate, so a revoked id never returns.
     */
    public static KeySetState fromProto(KeySet set, KeySetState previous) throws TrustException {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        for (KeyEntry e : set.getKeysList()) {
            PublicKey pk = decode(e.getId(), e.getPublicKey());
            if (keys.put(e.getId(), new TrustedKey(e.getId(), pk, Set.copyOf(e.getCommandsList()))) != null) {
                throw new TrustException("key id '" + e.getId() + "' appears twice");
            }
        }
        Set<String> revoked = new TreeSet<>(set.getRevokedList());
        Map<String, PublicKey> roots = new LinkedHashMap<>();
        int threshold;
        if (set.getRootsCount() > 0) {
            for (RootKey r : set.getRootsList()) {
                if (roots.put(r.getId(), decode(r.getId(), r.getPublicKey())) != null) {
                    throw new TrustException("root key id '" + r.getId() + "' appears twice");
                }
            }
            threshold = set.getRootThreshold();
        } else {
            if (previous == null) throw new TrustException("key set names no root keys");
            if (set.getRootThreshold() != 0) throw new TrustException("key set sets a root threshold but names no root keys");
            roots.putAll(previous.roots);
            threshold = previous.rootThreshold;
        }
        if (previous != null) {
            revoked.addAll(previous.revoked);
            for (String id : roots.keySet()) {
                if (!previous.roots.containsKey(id) && previous.keys.containsKey(id)) {
                    throw new TrustException("root key id '" + id + "' was a command key");
                }
            }
        }
        return create(set.getVersion(), keys, revoked, roots, threshold);
    }

    private static PublicKey decode(String id, ByteString der) throws TrustException {
        try {
            return PublicKey.fromDer(der.toByteArray());
        } catch (KeyFormatException e) {
            throw new TrustException("key '" + id + "': " + e.getMessage(), e);
        }
    }
}
