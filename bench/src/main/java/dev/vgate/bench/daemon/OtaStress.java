package dev.vgate.bench.daemon;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.vgate.trust.TrustFileWriter;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.ota.Sha256;
import dev.vgate.ota.manifest.ManifestSigner;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.ota.Artifact;
import dev.vgate.protocol.ota.ImageRef;
import dev.vgate.protocol.ota.Manifest;
import java.security.SecureRandom;
import java.util.List;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stress run's update (bench/daemon-footprint --ota START:MIB): a full image of MIB MiB, generated as it is
 * served over HTTP (never held in memory), announced by a signed manifest in a signed start-ota command; the
 * daemon streams it into slot B and checks its digest.
 * <pre>
 * OtaStress prepare WORK MIB                      # before the daemon starts: WORK/ota-trust.yaml, the release key
 * OtaStress start BROKER_URL VEHICLE WORK MIB     # serves the image, sends start-ota, waits for its result
 * </pre>
 */
public final class OtaStress {
    private static final int BLOCK = 64 << 10;

    private OtaStress() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0].equals("prepare") ? args[1] : args[3]);
        long size = Long.parseLong(args[0].equals("prepare") ? args[2] : args[4]) << 20;
        if (args[0].equals("prepare")) {
            // the one trust format (docs/commands.md): a release key with role ota, and a root key
            PrivateKey key = PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom());
            PrivateKey root = PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom());
            PemKeys.writePrivate(work.resolve("ota-release.pem"), key, true);
            PemKeys.writePublic(work.resolve("ota-release.pub.pem"), key.publicKey(), true);
            PemKeys.writePublic(work.resolve("ota-root.pub.pem"), root.publicKey(), true);
            Path trust = work.resolve("ota-trust.yaml");
            TrustFileWriter.addKey(trust, "bench-release", "ota-release.pub.pem", List.of(), List.of("ota"));
            TrustFileWriter.addRoot(trust, "bench-root", "ota-root.pub.pem");
            return;
        }
        String url = args[1], vehicle = args[2];
        PrivateKey release = PemKeys.readPrivate(work.resolve("ota-release.pem"));
        long t0 = System.nanoTime();
        byte[] digest = digest(size);
        AtomicLong served = new AtomicLong();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/image.img", ex -> {
            long from = 0;
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) from = Long.parseLong(range.substring(6, range.length() - 1));
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
                ex.sendResponseHeaders(206, size - from);
            } else {
                ex.sendResponseHeaders(200, size);
            }
            try (OutputStream out = ex.getResponseBody()) {
                byte[] b = new byte[BLOCK];
                for (long at = from - from % BLOCK; at < size; at += BLOCK) {
                    block(at / BLOCK, b);
                    int skip = (int) Math.max(0, from - at);
                    int n = (int) Math.min(BLOCK, size - at);
                    out.write(b, skip, n - skip);
                    served.addAndGet(n - skip);
                }
            } catch (java.io.IOException e) {
                System.out.println("download interrupted after " + served.get() + " bytes: " + e.getMessage());
            }
        });
        http.start();
        Manifest m = Manifest.newBuilder().setFormatVersion(1).setTargetVersion("2.0.0").setBaseVersion("1.0.0").addCompatibleHardware("bench-hw")
                .setBaseImage(ImageRef.newBuilder().setSize(1).setSha256(ByteString.copyFrom(new byte[32]))) // never matches: full image
                .setTargetImage(ImageRef.newBuilder().setSize(size).setSha256(ByteString.copyFrom(digest)))
                .setFullImage(Artifact.newBuilder().addUrls("http://127.0.0.1:" + http.getAddress().getPort() + "/image.img")
                        .setSize(size).setSha256(ByteString.copyFrom(digest)))
                .setCreatedEpochSeconds(System.currentTimeMillis() / 1000).build();
        byte[] manifest = new ManifestSigner(release, "bench-release").sign(m).toByteArray();
        PrivateKey cmdKey = PemKeys.readPrivate(work.resolve("keys/bench-cmd.pem"));
        long now = System.currentTimeMillis();
        Command c = Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(vehicle)
                .setIssuedAtMs(now).setExpiresAtMs(now + 120_000).setSequence(now * 1000).setType("start-ota")
                .setBody(ByteString.copyFrom(manifest)).build();
        long sent = System.nanoTime();
        try (CommandClient client = CommandClient.connect(url, 10_000)) {
            CommandClient.Exchange ex = client.send(vehicle, CommandSigner.sign(c, "bench-cmd", cmdKey).toByteArray(), 120);
            CommandResponse r = ex.result.get(120, TimeUnit.SECONDS);
            System.out.printf("start-ota %s after %d ms (image digest took %d ms)%n", r.getStatus(), (System.nanoTime() - sent) / 1_000_000,
                    (sent - t0) / 1_000_000);
        }
        // the daemon downloads in the background: report until the whole image was served (or 20 min passed)
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (served.get() < size && System.nanoTime() < deadline) Thread.sleep(500);
        long secs = Math.max(1, (System.nanoTime() - sent) / 1_000_000_000L);
        System.out.printf("served %d of %d bytes in %d s (%d MB/s); sha256 %s%n", served.get(), size, secs, served.get() / secs / 1_000_000,
                HexFormat.of().formatHex(digest).substring(0, 16));
        http.stop(0);
    }

    /** Block {@code i} of the image: deterministic, so the digest is computed without storing the image. */
    private static void block(long i, byte[] b) {
        SplittableRandom r = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        for (int k = 0; k < b.length; k += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8; j++) b[k + j] = (byte) (v >>> (8 * j));
        }
    }

    private static byte[] digest(long size) {
        MessageDigest d = Sha256.newDigest();
        byte[] b = new byte[BLOCK];
        for (long at = 0; at < size; at += BLOCK) {
            block(at / BLOCK, b);
            d.update(b, 0, (int) Math.min(BLOCK, size - at));
        }
        return d.digest();
    }
}
