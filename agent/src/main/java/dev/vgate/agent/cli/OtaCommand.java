package dev.vgate.agent.cli;

import com.google.protobuf.ByteString;
import dev.vgate.ota.OtaException;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.boot.NoBootChooser;
import dev.vgate.ota.install.ArtifactSource;
import dev.vgate.ota.install.DeviceInfo;
import dev.vgate.ota.install.InstallHooks;
import dev.vgate.ota.install.InstallStore;
import dev.vgate.ota.install.Installer;
import dev.vgate.ota.install.Rebooter;
import dev.vgate.ota.install.Slot;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.ota.manifest.ManifestCodec;
import dev.vgate.ota.manifest.ManifestSigner;
import dev.vgate.ota.manifest.ManifestVerifier;
import dev.vgate.ota.manifest.TrustStoreManifestVerifier;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustFile;
import dev.vgate.trust.TrustStore;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.ota.manifest.VerifiedManifest;
import dev.vgate.ota.manifest.Version;
import dev.vgate.ota.patch.BsdiffApplier;
import dev.vgate.ota.patch.BsdiffMaker;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.protocol.ota.SignedManifest;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vgate ota ...}: release-side patch making and signing, offline install into a slot. */
@Command(name = "ota", mixinStandardHelpOptions = true,
        description = "A/B updates: make signed bsdiff patches (release side), install them offline or on the device (install, boot-verify, status, abort).",
        subcommands = {OtaCommand.Keygen.class, OtaCommand.MakePatch.class, OtaCommand.Apply.class, OtaCommand.Show.class,
                OtaDeviceCommands.Install.class, OtaDeviceCommands.BootVerify.class, OtaDeviceCommands.Status.class, OtaDeviceCommands.Abort.class})
public final class OtaCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** One line on stderr, exit 2 for a refused update, 1 for a fault. */
    static int failed(String cmd, OtaException e) {
        System.err.println("vgate ota " + cmd + ": " + e.getMessage());
        Logger.debug(e, "vgate ota {} failed", cmd);
        return e.reason().isRejection() ? VgateCommand.EXIT_REJECTED : 1;
    }

    /**
     * A verifier on a trust file for one offline check ({@code apply}, {@code show}): the same format and
     * checks as the device (roles, revocation, algorithms); a root section is optional here.
     */
    static ManifestVerifier offlineVerifier(Path trust) throws OtaException {
        try {
            return new TrustStoreManifestVerifier(TrustStore.of(TrustFile.load(trust).toStateWithoutRoots()), CommandsConfig.DEFAULT_CLOCK_SKEW);
        } catch (TrustException e) {
            throw new OtaException(OtaException.Reason.TRUST_STORE, e.getMessage(), e);
        }
    }

    @Command(name = "keygen", description = "Make a release signing key with the ota role and add it to DIR/trust.yaml "
            + "(the one trust format, public keys inline; as vgate keys gen --role ota --inline --trust DIR/trust.yaml). A new trust file also gets a root key root-1.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "directory for the key files and trust.yaml") Path out;
        @Option(names = "--id", defaultValue = "release", description = "key id written into manifests (default: ${DEFAULT-VALUE})") String id;
        @Option(names = "--alg", defaultValue = "ed25519", description = "ed25519 or p256 (default: ${DEFAULT-VALUE})") String alg;
        @Option(names = "--force", description = "replace existing key files") boolean force;

        @Override public Integer call() throws Exception {
            return KeysCommand.generate(out, id, alg, force, out.resolve("trust.yaml"), List.of(), List.of("ota"), false, true, true, System.out);
        }
    }

    @Command(name = "make-patch", description = "Diff two images into DIR/patch.bin (BSDIFF40, xz streams) and DIR/manifest.bin (signed).")
    static final class MakePatch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OLD") Path oldImage;
        @Parameters(index = "1", paramLabel = "NEW") Path newImage;
        @Option(names = "--key", required = true, description = "signing key with the ota role: DIR/KEYID (reads DIR/KEYID.pem, as vgate keys gen writes it) or a PKCS#8 PEM file") String key;
        @Option(names = "--key-id", description = "key id in the trust file (default: KEYID of --key)") String keyId;
        @Option(names = "--expires-in", defaultValue = "720h", converter = CliDurations.class, description = "how long devices accept the manifest (expires_at; default: ${DEFAULT-VALUE} = 30 days, at most 87600h)") java.time.Duration expiresIn;
        @Option(names = "--root-key", description = "root key DIR/KEYID co-signing (repeat up to the threshold): approves going below the devices' anti-rollback floor") List<String> rootKeys = new ArrayList<>();
        @Option(names = "--version", required = true, description = "target version, e.g. 1.4.0") String version;
        @Option(names = "--base-version", defaultValue = "", description = "version of OLD (informational)") String baseVersion;
        @Option(names = "--out", required = true, description = "output directory") Path out;
        @Option(names = "--hardware", description = "compatible hardware id (repeatable; default: vgate-generic)") List<String> hardware = new ArrayList<>();
        @Option(names = "--patch-url", description = "where devices download patch.bin (repeatable)") List<String> patchUrls = new ArrayList<>();
        @Option(names = "--full-url", description = "where devices download NEW as a fallback (repeatable)") List<String> fullUrls = new ArrayList<>();
        @Option(names = "--allow-downgrade", description = "let devices install this over a newer version") boolean allowDowngrade;
        @Option(names = "--dict-mib", defaultValue = "16", description = "largest xz dictionary per stream in MiB; the device needs about 3x this much memory to apply (default: ${DEFAULT-VALUE})") int dictMib;

        @Override public Integer call() throws IOException {
            try {
                Version.parse(version);
            } catch (IllegalArgumentException e) {
                System.err.println("vgate ota make-patch: --version: " + e.getMessage());
                return 1;
            }
            if (dictMib < 1 || dictMib > 256) {
                System.err.println("vgate ota make-patch: --dict-mib must be 1..256");
                return 1;
            }
            if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(java.time.Duration.ofDays(3650)) > 0) {
                System.err.println("vgate ota make-patch: --expires-in must be more than 0 and at most 87600h");
                return 1;
            }
            PrivateKey k;
            Map<String, PrivateKey> roots = new java.util.LinkedHashMap<>();
            try {
                k = PemKeys.readPrivateRef(key);
                for (String r : rootKeys) roots.put(PemKeys.keyIdOf(r), PemKeys.readPrivateRef(r));
            } catch (KeyFormatException e) {
                System.err.println("vgate ota make-patch: --key: " + e.getMessage());
                return 1;
            }
            if (keyId == null) keyId = PemKeys.keyIdOf(key);
            byte[] o = Files.readAllBytes(oldImage), n = Files.readAllBytes(newImage);
            Files.createDirectories(out);
            Path patch = out.resolve("patch.bin");
            long t0 = System.nanoTime();
            BsdiffMaker.Stats st;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(patch))) {
                st = new BsdiffMaker(dictMib << 20).diff(o, n, os);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            byte[] patchSha = Sha256.ofFile(patch);
            long patchSize = Files.size(patch);
            Manifest.Builder m = Manifest.newBuilder().setFormatVersion(1).setTargetVersion(version).setBaseVersion(baseVersion)
                    .addAllCompatibleHardware(hardware.isEmpty() ? List.of("vgate-generic") : hardware)
                    .setBaseImage(ImageRef.newBuilder().setSize(o.length).setSha256(ByteString.copyFrom(Sha256.newDigest().digest(o))))
                    .setTargetImage(ImageRef.newBuilder().setSize(n.length).setSha256(ByteString.copyFrom(Sha256.newDigest().digest(n))))
                    .setPatch(Artifact.newBuilder().addAllUrls(patchUrls).setSize(patchSize).setSha256(ByteString.copyFrom(patchSha)))
                    .setAllowDowngrade(allowDowngrade).setCreatedEpochSeconds(System.currentTimeMillis() / 1000)
                    .setExpiresEpochSeconds(System.currentTimeMillis() / 1000 + expiresIn.toSeconds());
            if (!fullUrls.isEmpty())
                m.setFullImage(Artifact.newBuilder().addAllUrls(fullUrls).setSize(n.length).setSha256(ByteString.copyFrom(Sha256.newDigest().digest(n))));
            SignedManifest signed;
            try {
                signed = new ManifestSigner(k, keyId).sign(m.build(), roots);
            } catch (KeyFormatException e) {
                System.err.println("vgate ota make-patch: signing failed: " + e.getMessage());
                return 1;
            }
            Files.write(out.resolve("manifest.bin"), signed.toByteArray());
            PrintStream p = System.out;
            p.printf("old       %,d bytes  sha256 %s%n", o.length, Sha256.hex(m.getBaseImage().getSha256().toByteArray()));
            p.printf("new       %,d bytes  sha256 %s%n", n.length, Sha256.hex(m.getTargetImage().getSha256().toByteArray()));
            p.printf("patch     %,d bytes  sha256 %s  (%s)%n", patchSize, Sha256.hex(patchSha), patch);
            p.printf("  blocks  control %,d + diff %,d + extra %,d bytes xz (%d triples, %,d diff / %,d extra bytes raw), %.1f s%n",
                    st.controlXz(), st.diffXz(), st.extraXz(), st.triples(), st.diffBytes(), st.extraBytes(), secs);
            p.printf("manifest  %,d bytes  version %s signed by %s  (%s)%n", signed.getSerializedSize(), version, keyId, out.resolve("manifest.bin"));
            return 0;
        }
    }

    @Command(name = "apply", description = "Install a signed patch offline into a slot file or device (the agent's install path, minus download and switch). Prints the target SHA-256.")
    static final class Apply implements Callable<Integer> {
        @Option(names = "--trust", required = true, description = "trust file (the device's format: keys with roles [ota]; root optional here)") Path trust;
        @Option(names = "--manifest", required = true) Path manifest;
        @Option(names = "--patch", required = true) Path patch;
        @Option(names = "--full-image", description = "the full target image, used if --from does not hold the patch's base") Path fullImage;
        @Option(names = "--from", required = true, description = "the old image (only read)") Path from;
        @Option(names = "--to", required = true, description = "the slot file or block device to write") Path to;
        @Option(names = "--slot-size", description = "capacity of --to in bytes (default: a block device's size; files grow)") Long slotSize;
        @Option(names = "--hardware", description = "this device's hardware id (default: /etc/vgate/hardware-id; unchecked if neither)") String hardware;
        @Option(names = "--current-version", defaultValue = "0", description = "version running now; the manifest must be newer (default: ${DEFAULT-VALUE})") String currentVersion;
        @Option(names = "--state-db", description = "SQLite install state (default: a temporary file)") Path stateDb;

        @Override public Integer call() throws IOException {
            // by identity (device and inode), not by path: a symlink or hard link to --from is --from
            if (dev.vgate.ota.install.FileIdentity.same(from, to)) {
                System.err.println("vgate ota apply: --to " + to + " is the same file as --from " + from + " (refusing to overwrite the image being read)");
                return VgateCommand.EXIT_REJECTED;
            }
            ManifestVerifier verifier;
            try {
                verifier = offlineVerifier(trust);
            } catch (OtaException e) {
                return failed("apply", e);
            }
            if (hardware == null && Files.isReadable(Path.of("/etc/vgate/hardware-id"))) hardware = Files.readString(Path.of("/etc/vgate/hardware-id")).trim();
            if (!Files.exists(to)) Files.createFile(to);
            Slot target = slotSize != null ? new Slot("B", to, slotSize)
                    : Files.isRegularFile(to) ? new Slot("B", to, Long.MAX_VALUE) : Slot.detect("B", to);
            Slot source = Slot.detect("A", from);
            Path db = stateDb != null ? stateDb : Files.createTempFile("vgate-ota-apply", ".db");
            Map<String, Path> files = new HashMap<>();
            files.put("patch", patch);
            if (fullImage != null) files.put("full-image", fullImage);
            try (InstallStore store = new InstallStore(db, Clock.systemUTC())) {
                Installer inst = new Installer(store, verifier, new NoBootChooser(),
                        Map.of("A", source, "B", target), new DeviceInfo(hardware, "A", currentVersion), ArtifactSource.local(files),
                        Rebooter.NONE, InstallHooks.NONE, new BsdiffApplier());
                Installer.Result r = inst.install(ManifestCodec.readEnvelope(manifest));
                System.out.println(Sha256.hex(r.targetSha256()));
                return 0;
            } catch (OtaException e) {
                return failed("apply", e);
            } finally {
                if (stateDb == null) Files.deleteIfExists(db);
            }
        }
    }

    @Command(name = "show", description = "Print a manifest (and verify it when --trust is given).")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MANIFEST") Path manifest;
        @Option(names = "--trust", description = "trust file to verify against") Path trust;

        @Override public Integer call() throws IOException {
            try {
                byte[] b = ManifestCodec.readEnvelope(manifest);
                Manifest m;
                if (trust != null) {
                    VerifiedManifest vm = offlineVerifier(trust).verify(b);
                    m = vm.manifest();
                    System.out.println("signature: valid (key " + vm.keyId() + ", role ota)");
                } else {
                    SignedManifest env = ManifestCodec.parseEnvelope(b);
                    m = ManifestCodec.parseManifest(env.getManifest());
                    System.out.println("signature: NOT checked (key " + dev.vgate.input.Untrusted.escape(env.getKeyId()) + "); pass --trust to verify");
                }
                System.out.print(com.google.protobuf.TextFormat.printer().printToString(m));
                return 0;
            } catch (OtaException e) {
                return failed("show", e);
            }
        }
    }
}
