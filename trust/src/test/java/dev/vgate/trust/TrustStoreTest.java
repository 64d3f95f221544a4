package dev.vgate.trust;

import com.google.protobuf.ByteString;
import dev.vgate.protocol.command.KeyEntry;
import dev.vgate.protocol.command.KeySet;
import dev.vgate.protocol.command.RootKey;
import dev.vgate.protocol.command.RootSignature;
import dev.vgate.protocol.command.SignedKeySet;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.trust.crypto.PublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TrustStoreTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final PrivateKey RELEASE = PrivateKey.generate(KeyAlgorithm.P256, RANDOM);
    static final PrivateKey CONFIG = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
    static final PrivateKey APP = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
    static final PrivateKey ROOT1 = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
    static final PrivateKey ROOT2 = PrivateKey.generate(KeyAlgorithm.P256, RANDOM);
    static final byte[] BYTES = SigningContext.config("rules", "rules: []".getBytes(StandardCharsets.UTF_8));
    @TempDir Path dir;

    static KeySetState state() throws TrustException {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        keys.put("release-1", new TrustedKey("release-1", RELEASE.publicKey(), Set.of(), Set.of(Roles.OTA)));
        keys.put("config-1", new TrustedKey("config-1", CONFIG.publicKey(), Set.of(), Set.of(Roles.CONFIG)));
        keys.put("app-1", new TrustedKey("app-1", APP.publicKey(), Set.of("unlock"), Set.of()));
        return KeySetState.create(1, keys, Set.of("release-0"), Map.of("root-1", ROOT1.publicKey(), "root-2", ROOT2.publicKey()), 2);
    }

    private static TrustReason refused(TrustVerdict v) {
        return v instanceof TrustVerdict.Refused r ? r.reason() : null;
    }

    @Test void verifyAnswersEveryCaseWithItsReason() throws Exception {
        TrustStore t = TrustStore.of(state());
        assertTrue(t.verify(Roles.CONFIG, BYTES, CONFIG.sign(BYTES), "config-1").trusted());
        assertTrue(t.verify(Roles.OTA, BYTES, RELEASE.sign(BYTES), "release-1").trusted());
        assertTrue(t.verify("unlock", BYTES, APP.sign(BYTES), "app-1").trusted());
        assertEquals(TrustReason.BAD_SIGNATURE, refused(t.verify(Roles.CONFIG, BYTES, APP.sign(BYTES), "config-1")));
        assertEquals(TrustReason.ROLE_NOT_ALLOWED, refused(t.verify(Roles.OTA, BYTES, CONFIG.sign(BYTES), "config-1")));
        assertEquals(TrustReason.ROLE_NOT_ALLOWED, refused(t.verify(Roles.CONFIG, BYTES, APP.sign(BYTES), "app-1")));
        assertEquals(TrustReason.ROLE_NOT_ALLOWED, refused(t.verify(Roles.CONFIG, BYTES, ROOT1.sign(BYTES), "root-1")));
        assertEquals(TrustReason.UNKNOWN_KEY, refused(t.verify(Roles.CONFIG, BYTES, CONFIG.sign(BYTES), "stranger\n\u001b[31m")));
        assertEquals(TrustReason.KEY_REVOKED, refused(t.verify(Roles.OTA, BYTES, RELEASE.sign(BYTES), "release-0")));
        // the detail of an unknown key is one printable line
        String d = ((TrustVerdict.Refused) t.verify(Roles.CONFIG, BYTES, CONFIG.sign(BYTES), "x\ny")).detail();
        assertFalse(d.contains("\n"), d);
        assertThrows(IllegalArgumentException.class, () -> t.verify("teleport", BYTES, CONFIG.sign(BYTES), "config-1"));
    }

    @Test void aRotationTakesEffectForTheNextVerificationAndIsPersistedAtomically() throws Exception {
        KeySetFile file = KeySetFile.in(dir);
        TrustStore t = TrustStore.open(state(), file);
        PrivateKey release2 = PrivateKey.generate(KeyAlgorithm.ED25519, RANDOM);
        KeySet next = KeySet.newBuilder().setVersion(2)
                .addKeys(entry("release-2", release2.publicKey(), List.of(), List.of("ota")))
                .addKeys(entry("config-1", CONFIG.publicKey(), List.of(), List.of("config")))
                .addRevoked("release-1").build();
        t.apply(t.check(signed(next, Map.of("root-1", ROOT1, "root-2", ROOT2))));
        assertEquals(TrustReason.KEY_REVOKED, refused(t.verify(Roles.OTA, BYTES, RELEASE.sign(BYTES), "release-1")));
        assertTrue(t.verify(Roles.OTA, BYTES, release2.sign(BYTES), "release-2").trusted());
        // a restart: the persisted generation wins over the older trust file
        TrustStore again = TrustStore.open(state(), KeySetFile.in(dir));
        assertEquals(2, again.current().version());
        assertEquals(TrustReason.KEY_REVOKED, refused(again.verify(Roles.OTA, BYTES, RELEASE.sign(BYTES), "release-1")));
        assertFalse(Files.exists(dir.resolve(KeySetFile.NAME + ".tmp")));
    }

    @Test void theRootThresholdCountsDistinctPublicKeysNotIds() throws Exception {
        TrustStore t = TrustStore.of(state());
        KeySet next = KeySet.newBuilder().setVersion(2).addKeys(entry("app-1", APP.publicKey(), List.of("unlock", "lock"), List.of())).build();
        // one private key signing under both root ids, and twice under one id: one key, threshold 2 not met
        byte[] bytes = next.toByteArray();
        SignedKeySet twice = SignedKeySet.newBuilder().setKeySet(ByteString.copyFrom(bytes))
                .addSignatures(RootSignature.newBuilder().setKeyId("root-1").setSignature(ByteString.copyFrom(ROOT1.sign(bytes))))
                .addSignatures(RootSignature.newBuilder().setKeyId("root-1").setSignature(ByteString.copyFrom(ROOT1.sign(bytes))))
                .addSignatures(RootSignature.newBuilder().setKeyId("root-2").setSignature(ByteString.copyFrom(ROOT1.sign(bytes)))).build();
        KeySetRejectedException e = assertThrows(KeySetRejectedException.class, () -> t.check(twice.toByteArray()));
        assertEquals(TrustReason.KEYSET_THRESHOLD_NOT_MET, e.reason());
        assertEquals(1, t.distinctRootSigners(bytes, List.of(new TrustStore.RootSig("root-1", ROOT1.sign(bytes)),
                new TrustStore.RootSig("root-1", ROOT1.sign(bytes)))));

        // a rotation naming one public key under two root ids (so one key could meet threshold 2 later) is refused
        KeySet sameKeyTwice = KeySet.newBuilder().setVersion(3)
                .addRoots(RootKey.newBuilder().setId("root-a").setPublicKey(ByteString.copyFrom(ROOT1.publicKey().encoded())))
                .addRoots(RootKey.newBuilder().setId("root-b").setPublicKey(ByteString.copyFrom(ROOT1.publicKey().encoded())))
                .setRootThreshold(2).build();
        e = assertThrows(KeySetRejectedException.class, () -> t.check(signed(sameKeyTwice, Map.of("root-1", ROOT1, "root-2", ROOT2))));
        assertEquals(TrustReason.KEYSET_MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("same public key"), e.getMessage());
    }

    @Test void oneEcKeySpelledCompressedAndUncompressedIsOneKey() throws Exception {
        ECPublicKeyParameters ec = (ECPublicKeyParameters) org.bouncycastle.crypto.util.PublicKeyFactory.createKey(ROOT2.publicKey().encoded());
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(ROOT2.publicKey().encoded());
        byte[] compressed = new SubjectPublicKeyInfo(AlgorithmIdentifier.getInstance(spki.getAlgorithm()), ec.getQ().getEncoded(true)).getEncoded();
        PublicKey other = PublicKey.fromDer(compressed);
        assertFalse(java.util.Arrays.equals(compressed, ROOT2.publicKey().encoded()));
        assertEquals(ROOT2.publicKey(), other);
        TrustException e = assertThrows(TrustException.class, () -> KeySetState.create(1, Map.of(),
                Set.of(), Map.of("root-a", ROOT2.publicKey(), "root-b", other), 2));
        assertTrue(e.getMessage().contains("same public key"), e.getMessage());
    }

    @Test void roleListsAcceptOnlyKnownNames() {
        for (Set<String> commands : List.of(Set.of("unlcok"), Set.of("key-set-update"))) {
            TrustException e = assertThrows(TrustException.class, () -> KeySetState.create(1,
                    Map.of("a", new TrustedKey("a", APP.publicKey(), commands, Set.of())), Set.of(), Map.of(), 0));
            assertTrue(e.getMessage().startsWith("key 'a' commands: "), e.getMessage());
        }
        TrustException e = assertThrows(TrustException.class, () -> KeySetState.create(1,
                Map.of("a", new TrustedKey("a", APP.publicKey(), Set.of(), Set.of("otaa"))), Set.of(), Map.of(), 0));
        assertTrue(e.getMessage().contains("unknown role 'otaa'"), e.getMessage());
    }

    static KeyEntry entry(String id, PublicKey k, List<String> commands, List<String> roles) {
        return KeyEntry.newBuilder().setId(id).setPublicKey(ByteString.copyFrom(k.encoded())).addAllCommands(commands).addAllRoles(roles).build();
    }

    static byte[] signed(KeySet set, Map<String, PrivateKey> roots) throws Exception {
        byte[] bytes = set.toByteArray();
        SignedKeySet.Builder b = SignedKeySet.newBuilder().setKeySet(ByteString.copyFrom(bytes));
        for (var r : roots.entrySet()) {
            b.addSignatures(RootSignature.newBuilder().setKeyId(r.getKey()).setSignature(ByteString.copyFrom(r.getValue().sign(bytes))));
        }
        return b.build().toByteArray();
    }
}
