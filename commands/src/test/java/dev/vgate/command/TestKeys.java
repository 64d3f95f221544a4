package dev.vgate.command;

import com.google.protobuf.ByteString;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustedKey;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.SignedCommand;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys of the test world, generated once per JVM: an owner-app key (Ed25519), an OTA key (P-256),
 * a "newer-cloud" key allowed a type (horn) some agents have no handler for, a revoked key, and three root keys
 * (threshold 2).
 */
public final class TestKeys {
    public static final String VIN = "VGATE0TEST0000001";
    public static final String OWNER = "owner-app-1";
    public static final String OTA = "ota-1";
    public static final String NEWER = "newer-cloud-1";
    public static final String REVOKED = "old-app-0";
    public static final List<String> ROOTS = List.of("root-1", "root-2", "root-3");
    public static final Set<String> OWNER_COMMANDS = Set.of("lock", "unlock", "horn", "lights", "climate", "get-state", "locate");

    private static final SecureRandom RANDOM = new SecureRandom();
    public static final Map<String, PrivateKey> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(OWNER, PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM));
        KEYS.put(OTA, PrivateKey.generate(KeyAlgorithm.P256, RANDOM));
        KEYS.put(NEWER, PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM));
        KEYS.put(REVOKED, PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM));
        for (String r : ROOTS) KEYS.put(r, PrivateKey.generate(r.equals("root-2") ? KeyAlgorithm.P256 : KeyAlgorithm.ED25519, RANDOM));
    }

    private static final AtomicLong SEQ = new AtomicLong(1);

    private TestKeys() {}

    public static PrivateKey key(String id) { return KEYS.get(id); }

    /** Version 1 of the trust state; the revoked key is listed as revoked. */
    public static KeySetState initialState() {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        keys.put(OWNER, new TrustedKey(OWNER, key(OWNER).publicKey(), OWNER_COMMANDS));
        keys.put(OTA, new TrustedKey(OTA, key(OTA).publicKey(), Set.of("start-ota")));
        keys.put(NEWER, new TrustedKey(NEWER, key(NEWER).publicKey(), Set.of("horn")));
        Map<String, PublicKey> roots = new LinkedHashMap<>();
        for (String r : ROOTS) roots.put(r, key(r).publicKey());
        try {
            return KeySetState.create(1, keys, Set.of(REVOKED), roots, 2);
        } catch (TrustException e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh command for {@link #VIN}, valid for a minute from {@code nowMs}, with a new id and sequence. */
    public static Command.Builder command(String type, long nowMs) {
        return Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(VIN).setIssuedAtMs(nowMs)
                .setExpiresAtMs(nowMs + 60_000).setSequence(SEQ.incrementAndGet()).setType(type);
    }

    public static byte[] signed(Command.Builder c, String keyId) { return signedBy(c.build(), keyId, keyId); }

    /** Signs with {@code signingKey}'s private key but names {@code claimedKeyId}. */
    public static byte[] signedBy(Command c, String claimedKeyId, String signingKey) {
        try {
            SignedCommand s = CommandSigner.sign(c, signingKey, key(signingKey));
            return s.toBuilder().setKeyId(claimedKeyId).build().toByteArray();
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }

    public static KeyEntry entry(String id, Set<String> commands) {
        return KeyEntry.newBuilder().setId(id).setPublicKey(ByteString.copyFrom(key(id).publicKey().encoded()))
                .addAllCommands(commands).build();
    }

    /** A key set of {@code version}: the owner key (with {@code ownerCommands}), the OTA key, plus {@code revoked}. */
    public static KeySet keySet(long version, Set<String> ownerCommands, String... revoked) {
        KeySet.Builder b = KeySet.newBuilder().setVersion(version).addKeys(entry(OTA, Set.of("start-ota")));
        if (!List.of(revoked).contains(OWNER)) b.addKeys(entry(OWNER, ownerCommands));
        return b.addAllRevoked(List.of(revoked)).build();
    }

    /** A key-set-update body signed by the named roots. */
    public static byte[] signedKeySet(KeySet set, String... roots) {
        Map<String, PrivateKey> signers = new LinkedHashMap<>();
        for (String r : roots) signers.put(r, key(r));
        try {
            return CommandSigner.signKeySet(set, signers).toByteArray();
        } catch (KeyFormatException e) {
            throw new AssertionError(e);
        }
    }
}
