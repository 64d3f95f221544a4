package dev.vgate.trust.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.vgate.protocol.command.RootSignature;
import dev.vgate.protocol.command.SignedKeySet;
import dev.vgate.trust.KeySetRejectedException;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustFile;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.TrustedKey;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PrivateKey;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the trust file and key-set parsers: whatever the bytes, the answer is a TrustException (or a
 * KeySetRejectedException with a reason) or a valid result, never another exception, a stack overflow or an
 * out-of-memory error (the fuzz execution runs with -Xmx256m -Xss512k). The first byte picks the parser:
 * 0 — trust-file YAML; 1 — a SignedKeySet as a key-set-update body; 2 — a KeySet validly signed by the root
 * threshold (so the rotation rules, not the signature check, see the fuzzed values).
 *
 * <p>In the build this runs its seeds, then fuzzes for a bounded time (docs/commands.md#fuzzing).
 */
class TrustParsersFuzzTest {
    static final PrivateKey ROOT1 = fixed(1), ROOT2 = fixed(2), APP = fixed(3);
    static Path base;
    static KeySetState initial;

    static PrivateKey fixed(int seed) {
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("SHA1PRNG");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        r.setSeed(seed);
        return PrivateKey.generate(KeyAlgorithm.ED25519, r);
    }

    @BeforeAll static void setUp() throws Exception {
        base = Files.createTempDirectory("vgate-trust-fuzz");
        initial = KeySetState.create(1, Map.of("app-1", new TrustedKey("app-1", APP.publicKey(), Set.of("unlock"), Set.of("config"))),
                Set.of("old-0"), Map.of("root-1", ROOT1.publicKey(), "root-2", ROOT2.publicKey()), 2);
    }

    @FuzzTest(maxDuration = "20s")
    void trustFilesAndKeySetsGetTypedAnswers(byte[] input) throws Exception {
        if (input.length == 0) return;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        switch (Math.floorMod(input[0], 3)) {
            case 0 -> {
                try {
                    TrustFile.Content c = TrustFile.parse(new String(rest, StandardCharsets.UTF_8), base, "fuzz.yaml");
                    assertNotNull(c.keys());
                } catch (TrustException e) {
                    assertNotNull(e.getMessage());
                    assertFalse(e.getMessage().contains("\tat "), e.getMessage());
                }
            }
            case 1 -> checkAndApply(rest);
            default -> {
                SignedKeySet s = SignedKeySet.newBuilder().setKeySet(ByteString.copyFrom(rest))
                        .addSignatures(RootSignature.newBuilder().setKeyId("root-1").setSignature(ByteString.copyFrom(ROOT1.sign(rest))))
                        .addSignatures(RootSignature.newBuilder().setKeyId("root-2").setSignature(ByteString.copyFrom(ROOT2.sign(rest)))).build();
                checkAndApply(s.toByteArray());
            }
        }
    }

    private static void checkAndApply(byte[] body) throws TrustException {
        TrustStore store = TrustStore.of(initial);
        KeySetState next;
        try {
            next = store.check(body);
        } catch (KeySetRejectedException e) {
            assertNotNull(e.reason());
            return;
        }
        // whatever passed the checks is a consistent generation: revocations kept, version newer, threshold in range
        assertTrue(next.version() > initial.version());
        assertTrue(next.revoked().contains("old-0"));
        assertTrue(next.rootThreshold() >= 1 && next.rootThreshold() <= next.roots().size());
        store.apply(next);
        assertEquals(next.version(), store.current().version());
    }
}
