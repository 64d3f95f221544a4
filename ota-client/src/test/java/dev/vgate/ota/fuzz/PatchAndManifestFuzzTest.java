package dev.vgate.ota.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.vgate.ota.Images;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.manifest.TrustStoreManifestVerifier;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.TrustedKey;
import dev.vgate.trust.crypto.PublicKey;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import dev.vgate.ota.manifest.ManifestCodec;
import dev.vgate.ota.patch.BsdiffApplier;
import dev.vgate.ota.patch.PatchSource;
import dev.vgate.protocol.ota.SignedManifest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes what an attacker or a broken download controls: the patch bytes and the manifest envelope.
 * Whatever the input, the answer is a result or an {@link OtaException} (any other exception, an
 * out-of-bounds access or an OutOfMemoryError is a finding); the applier never writes more than the
 * allowed image size. The first byte picks the target:
 * 0 — a patch applied to a fixed 4 KiB old image (new size capped at 64 KiB);
 * 1 — a raw manifest envelope through the verifier;
 * 2 — a Manifest payload, validly signed by a trusted ota key, so the manifest validation sees fuzzed fields.
 *
 * <p>The default surefire run replays the seeds in {@code PatchAndManifestFuzzTestInputs}; the
 * {@code fuzz-ota} execution fuzzes for a bounded time (docs/ota.md#fuzzing).
 */
class PatchAndManifestFuzzTest {
    static final long MAX_NEW = 64 * 1024;
    static final Ed25519PrivateKeyParameters KEY = new Ed25519PrivateKeyParameters(new byte[32], 0);
    static Path dir;
    static FileChannel old;
    static long oldSize;
    static TrustStoreManifestVerifier verifier;

    @BeforeAll static void setUp() throws Exception {
        dir = Files.createTempDirectory("vgate-fuzz");
        byte[] img = Images.old(4096, 7);
        Files.write(dir.resolve("old.img"), img);
        old = FileChannel.open(dir.resolve("old.img"), StandardOpenOption.READ);
        oldSize = img.length;
        PublicKey pub = PublicKey.fromDer(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(KEY.generatePublicKey()).getEncoded());
        verifier = new TrustStoreManifestVerifier(TrustStore.of(KeySetState.create(0,
                Map.of("release", new TrustedKey("release", pub, Set.of(), Set.of("ota"))), Set.of(), Map.of(), 0)), Duration.ofSeconds(30));
    }

    @AfterAll static void tearDown() throws Exception {
        old.close();
        Files.deleteIfExists(dir.resolve("old.img"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "20s")
    void patchesAndManifestsGetTypedAnswers(byte[] input) throws Exception {
        if (input.length == 0) return;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        switch (Math.floorMod(input[0], 3)) {
            case 0 -> applyPatch(rest);
            case 1 -> verify(rest);
            default -> verify(SignedManifest.newBuilder().setManifest(ByteString.copyFrom(rest)).setKeyId("release").setAlgorithm("ed25519")
                    .setSignature(ByteString.copyFrom(sign(rest))).build().toByteArray());
        }
    }

    private static void applyPatch(byte[] patch) {
        CountingSink out = new CountingSink();
        try {
            BsdiffApplier.Result r = new BsdiffApplier().apply(PatchSource.of(patch), old, oldSize, out, MAX_NEW, (done, total) -> {});
            assertTrue(r.newSize() <= MAX_NEW && r.newSize() == out.written, "wrote " + out.written + " of " + r.newSize());
        } catch (OtaException e) {
            assertNotNull(e.reason());
            OtaRefusalTextTest.assertReadable(e.getMessage());
        }
        assertTrue(out.written <= MAX_NEW, "wrote " + out.written + " bytes, more than the " + MAX_NEW + " allowed");
    }

    private static void verify(byte[] envelope) {
        try {
            assertNotNull(verifier.verify(envelope).manifest());
        } catch (OtaException e) {
            assertNotNull(e.reason());
            OtaRefusalTextTest.assertReadable(e.getMessage());
        }
    }

    private static byte[] sign(byte[] manifest) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, KEY);
        byte[] m = ManifestCodec.signedBytes(ByteString.copyFrom(manifest));
        s.update(m, 0, m.length);
        return s.generateSignature();
    }

    /** Discards the new image, counting bytes. */
    static final class CountingSink implements WritableByteChannel {
        long written;

        @Override public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            written += n;
            return n;
        }

        @Override public boolean isOpen() { return true; }

        @Override public void close() {}
    }
}
