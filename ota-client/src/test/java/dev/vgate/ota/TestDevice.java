package dev.vgate.ota;

import com.google.protobuf.ByteString;
import dev.vgate.ota.boot.BootChooser;
import dev.vgate.ota.boot.FileBootChooser;
import dev.vgate.ota.install.ArtifactSource;
import dev.vgate.ota.install.DeviceInfo;
import dev.vgate.ota.install.InstallHooks;
import dev.vgate.ota.install.InstallStore;
import dev.vgate.ota.install.Installer;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.Slot;
import dev.vgate.ota.manifest.ManifestSigner;
import dev.vgate.ota.manifest.ManifestVerifier;
import dev.vgate.ota.manifest.TrustStoreManifestVerifier;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustFile;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.ota.patch.BsdiffApplier;
import dev.vgate.ota.patch.BsdiffMaker;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import dev.vgate.protocol.ota.Manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A simulated A/B device in a directory: two slot files (A holds version 1.0.0), a file boot chooser, an
 * SQLite state store, a signing key and its trust file, and a 1.0.0 → 1.1.0 patch.
 */
public final class TestDevice implements AutoCloseable {
    public static final String HW = "vgate-gw-1";
    public final Path dir, slotA, slotB, patchFile, fullFile, trustFile, bootFile, dbFile;
    public final byte[] oldImg, newImg, patch;
    public final long slotSize;
    public final PrivateKey key = newKey();
    public final PrivateKey root = newKey();
    public final BootChooser boot;
    public InstallStore store;

    public TestDevice(Path dir, int imageSize) throws Exception {
        this(dir, imageSize, Images.old(imageSize, 11), null);
    }

    public TestDevice(Path dir, int imageSize, byte[] oldImg, byte[] patchBytes) throws Exception {
        this.dir = dir;
        this.oldImg = oldImg;
        this.newImg = Images.next(oldImg, 12);
        this.slotSize = imageSize + imageSize / 4;
        slotA = dir.resolve("slotA.img");
        slotB = dir.resolve("slotB.img");
        Files.write(slotA, java.util.Arrays.copyOf(oldImg, (int) slotSize));
        Files.write(slotB, new byte[(int) slotSize]);
        if (patchBytes == null) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            new BsdiffMaker(1 << 20).diff(oldImg, newImg, p);
            patchBytes = p.toByteArray();
        }
        this.patch = patchBytes;
        patchFile = dir.resolve("patch.bin");
        Files.write(patchFile, patch);
        fullFile = dir.resolve("full.bin");
        Files.write(fullFile, newImg);
        trustFile = dir.resolve("trust.yaml");
        Files.writeString(trustFile, "keys:\n" + entry("release", key, "roles: [ota]") + entry("commands", newKey(), "commands: [unlock]")
                + "root:\n  threshold: 1\n  keys:\n" + entry("root-1", root, ""));
        bootFile = dir.resolve("boot.properties");
        boot = new FileBootChooser(bootFile);
        dbFile = dir.resolve("ota.db");
        store = new InstallStore(dbFile, Clock.systemUTC());
    }

    public static PrivateKey newKey() { return PrivateKey.generate(KeyAlgorithm.ED25519, new java.security.SecureRandom()); }

    /** One key of a trust file, its public key inline; {@code permissions} is e.g. "roles: [ota]". */
    public static String entry(String id, PrivateKey k, String permissions) {
        String pem = PemKeys.publicPem(k.publicKey()).lines().map(l -> "        " + l + "\n").reduce("", String::concat);
        return "  - id: " + id + "\n    public_key: |\n" + pem + (permissions.isEmpty() ? "" : "    " + permissions + "\n");
    }

    /** A verifier on the trust file as it is now (tests rewrite it). */
    public ManifestVerifier verifier() throws OtaException {
        try {
            return new TrustStoreManifestVerifier(TrustStore.of(TrustFile.load(trustFile).toState()), java.time.Duration.ofSeconds(30));
        } catch (TrustException e) {
            throw new OtaException(OtaException.Reason.TRUST_STORE, e.getMessage(), e);
        }
    }

    public static byte[] sha(byte[] b) { return Sha256.newDigest().digest(b); }

    public Manifest.Builder manifest() throws Exception {
        return Manifest.newBuilder().setFormatVersion(1).setTargetVersion("1.1.0").setBaseVersion("1.0.0").addCompatibleHardware(HW)
                .setBaseImage(ImageRef.newBuilder().setSize(oldImg.length).setSha256(ByteString.copyFrom(sha(oldImg))))
                .setTargetImage(ImageRef.newBuilder().setSize(newImg.length).setSha256(ByteString.copyFrom(sha(newImg))))
                .setPatch(Artifact.newBuilder().addUrls("http://127.0.0.1:1/patch.bin").setSize(patch.length).setSha256(ByteString.copyFrom(sha(patch))))
                .setExpiresEpochSeconds(System.currentTimeMillis() / 1000 + 86_400);
    }

    public byte[] signed(Consumer<Manifest.Builder> tweak) throws Exception {
        return signedWith(key, "release", tweak);
    }

    public byte[] signedWith(PrivateKey k, String keyId, Consumer<Manifest.Builder> tweak) throws Exception {
        Manifest.Builder b = manifest();
        tweak.accept(b);
        return new ManifestSigner(k, keyId).sign(b.build()).toByteArray();
    }

    public Map<String, Slot> slots() {
        return Map.of("A", new Slot("A", slotA, slotSize), "B", new Slot("B", slotB, slotSize));
    }

    public Installer installer(String booted, String version, ArtifactSource src, Rebooter rebooter, InstallHooks hooks) throws OtaException {
        return new Installer(store, verifier(), boot, slots(), new DeviceInfo(HW, booted, version),
                src, rebooter, hooks, new BsdiffApplier());
    }

    public Installer installer() throws OtaException {
        return installer("A", "1.0.0", ArtifactSource.local(Map.of("patch", patchFile, "full-image", fullFile)), Rebooter.NONE, InstallHooks.NONE);
    }

    public byte[] slot(Path p, int len) throws IOException { return java.util.Arrays.copyOf(Files.readAllBytes(p), len); }

    @Override public void close() { store.close(); }
}
