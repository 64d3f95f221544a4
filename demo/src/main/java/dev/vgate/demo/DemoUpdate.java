package dev.vgate.demo;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.manifest.ManifestSigner;
import dev.vgate.ota.patch.BsdiffMaker;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import dev.vgate.protocol.ota.Manifest;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.trust.crypto.PublicKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The simulated cloud's update: a root filesystem image 1.0.0 in slot A (a file), the same image with a few
 * changed regions as 1.1.0, a bsdiff patch between them served over HTTP, and a manifest signed with the
 * release key (role ota) the gateway's one trust file names.
 */
final class DemoUpdate implements AutoCloseable {
    static final String HARDWARE = "vgate-demo-gw";
    static final String FROM = "1.0.0";
    static final String TO = "1.1.0";
    private static final int IMAGE_BYTES = 1 << 20;

    final Path slotA;
    final Path slotB;
    static final String RELEASE_KEY = "release-2026";
    final byte[] oldImage;
    final byte[] newImage;
    final byte[] patch;
    private final PrivateKey key = PrivateKey.generate(KeyAlgorithm.ED25519, new java.security.SecureRandom());
    private final HttpServer http;

    DemoUpdate(Path dir) throws IOException {
        oldImage = image(IMAGE_BYTES);
        newImage = Arrays.copyOf(oldImage, oldImage.length);
        SplittableRandom r = new SplittableRandom(7);
        for (int region = 0; region < 16; region++) { // a new release: a few files changed here and there
            int at = r.nextInt(newImage.length - 4096);
            for (int i = 0; i < 2048; i++) newImage[at + i] = (byte) r.nextInt();
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        new BsdiffMaker(4 << 20).diff(oldImage, newImage, p);
        patch = p.toByteArray();
        long slotSize = IMAGE_BYTES + IMAGE_BYTES / 4;
        slotA = dir.resolve("slot-a.img");
        slotB = dir.resolve("slot-b.img");
        Files.write(slotA, Arrays.copyOf(oldImage, (int) slotSize));
        Files.write(slotB, new byte[(int) slotSize]);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/vgate-1.1.0.patch", ex -> {
            ex.sendResponseHeaders(200, patch.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(patch);
            }
        });
        http.start();
    }

    /** A compressible, file-system-like image: text-ish runs and zero padding. */
    private static byte[] image(int size) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(2026);
        byte[] words = "vgate gateway rootfs /usr/lib/libc.so.6 systemd journald can0 mqtt telemetry ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) b[i] = (i / 4096) % 5 == 4 ? 0 : words[(i + r.nextInt(3)) % words.length];
        return b;
    }

    /** The signed manifest the cloud sends as the start-ota command's body. */
    byte[] signedManifest() {
        Manifest m = Manifest.newBuilder().setFormatVersion(1).setTargetVersion(TO).setBaseVersion(FROM).addCompatibleHardware(HARDWARE)
                .setBaseImage(ImageRef.newBuilder().setSize(oldImage.length).setSha256(ByteString.copyFrom(sha(oldImage))))
                .setTargetImage(ImageRef.newBuilder().setSize(newImage.length).setSha256(ByteString.copyFrom(sha(newImage))))
                .setPatch(Artifact.newBuilder().addUrls("http://127.0.0.1:" + http.getAddress().getPort() + "/vgate-1.1.0.patch")
                        .setSize(patch.length).setSha256(ByteString.copyFrom(sha(patch))))
                .setCreatedEpochSeconds(System.currentTimeMillis() / 1000)
                .setExpiresEpochSeconds(System.currentTimeMillis() / 1000 + 3600)
                .build();
        try {
            return new ManifestSigner(key, RELEASE_KEY).sign(m).toByteArray();
        } catch (KeyFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The release key's public half, for the gateway's trust file. */
    PublicKey releaseKey() { return key.publicKey(); }

    /** Whether slot B now holds exactly the 1.1.0 image. */
    boolean slotBHoldsNewImage() throws IOException {
        byte[] b = Files.readAllBytes(slotB);
        return Arrays.equals(Arrays.copyOf(b, newImage.length), newImage);
    }

    private static byte[] sha(byte[] b) { return Sha256.newDigest().digest(b); }

    @Override public void close() { http.stop(0); }
}
