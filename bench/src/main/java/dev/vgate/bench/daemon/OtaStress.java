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
 * OtaStress start BROKER_URL VEHICLE WORK MIB [TIMEOUT_S]  # serves the image, sends start-ota (again after AGENT_BUSY),
 *                                                 # follows the install in WORK/status.json to its end: PASS/FAIL line
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
            // the image's digest now, before the daemon starts: not a CPU burst in the middle of the stress
            Files.writeString(work.resolve("ota-image.sha256"), HexFormat.of().formatHex(digest(size)));
            return;
        }
        String url = args[1], vehicle = args[2];
        long timeoutS = args.length > 5 ? Long.parseLong(args[5]) : 1200;
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutS);
        PrivateKey release = PemKeys.readPrivate(work.resolve("ota-release.pem"));
        byte[] digest = HexFormat.of().parseHex(Files.readString(work.resolve("ota-image.sha256")).trim()); // written by prepare
        AtomicLong served = new AtomicLong(), firstByteAt = new AtomicLong(), lastByteAt = new AtomicLong();
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
            firstByteAt.compareAndSet(0, System.nanoTime());
            try (OutputStream out = ex.getResponseBody()) {
                byte[] b = new byte[BLOCK];
                for (long at = from - from % BLOCK; at < size; at += BLOCK) {
                    block(at / BLOCK, b);
                    int skip = (int) Math.max(0, from - at);
                    int n = (int) Math.min(BLOCK, size - at);
                    out.write(b, skip, n - skip);
                    served.addAndGet(n - skip);
                    lastByteAt.set(System.nanoTime());
                }
            } catch (java.io.IOException e) {
                System.out.println("download interrupted after " + served.get() + " bytes: " + e.getMessage());
            }
        });
        http.start();
        try {
            Manifest m = Manifest.newBuilder().setFormatVersion(1).setTargetVersion("2.0.0").setBaseVersion("1.0.0").addCompatibleHardware("bench-hw")
                    .setBaseImage(ImageRef.newBuilder().setSize(1).setSha256(ByteString.copyFrom(new byte[32]))) // never matches: full image
                    .setTargetImage(ImageRef.newBuilder().setSize(size).setSha256(ByteString.copyFrom(digest)))
                    .setFullImage(Artifact.newBuilder().addUrls("http://127.0.0.1:" + http.getAddress().getPort() + "/image.img")
                            .setSize(size).setSha256(ByteString.copyFrom(digest)))
                    // a patch is required; against a base that never matches it is never fetched (the full image is)
                    .setPatch(Artifact.newBuilder().addUrls("http://127.0.0.1:" + http.getAddress().getPort() + "/never.patch")
                            .setSize(1).setSha256(ByteString.copyFrom(new byte[32])))
                    .setCreatedEpochSeconds(System.currentTimeMillis() / 1000)
                    .setExpiresEpochSeconds(System.currentTimeMillis() / 1000 + 3 * 3600).build();
            byte[] manifest = new ManifestSigner(release, "bench-release").sign(m).toByteArray();
            // its own command key (as a cloud's update service would have): the sequence of a key must increase,
            // and the command burst's key publishes at the same time
            String keyId = "bench-ota";
            PrivateKey cmdKey = PemKeys.readPrivate(work.resolve("keys/" + keyId + ".pem"));
            long sent = System.nanoTime();
            long seqBase = System.currentTimeMillis() * 1000;
            String commandId = UUID.randomUUID().toString();
            try (CommandClient client = CommandBurst.connectWithRetry(url, deadline)) {
                int busy = 0;
                while (true) {
                    // AGENT_BUSY (the agent's 256-command queue is full, e.g. during a burst): nothing was recorded,
                    // so the same command is sent again a second later, signed again with a higher sequence
                    long now = System.currentTimeMillis();
                    Command c = Command.newBuilder().setCommandId(commandId).setVehicleId(vehicle)
                            .setIssuedAtMs(now).setExpiresAtMs(now + 300_000).setSequence(seqBase + busy).setType("start-ota")
                            .setBody(ByteString.copyFrom(manifest)).build();
                    CommandClient.Exchange ex = client.send(vehicle, CommandSigner.sign(c, keyId, cmdKey).toByteArray(), 300);
                    CommandResponse r;
                    try {
                        r = ex.result.get(Math.max(1, Math.min(300_000, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        System.out.printf("FAIL: no result for start-ota within %d s (the daemon never answered)%n", (System.nanoTime() - sent) / 1_000_000_000L);
                        return;
                    } catch (java.util.concurrent.ExecutionException e) {
                        System.out.printf("FAIL: start-ota: %s%n", e.getCause().getMessage());
                        return;
                    }
                    if (r.getStatus() == CommandResponse.Status.REJECTED && r.getReasonCode().equals("AGENT_BUSY") && System.nanoTime() < deadline) {
                        busy++;
                        Thread.sleep(1000);
                        continue;
                    }
                    System.out.printf("start-ota %s%s after %d ms (%d AGENT_BUSY answers before); ", r.getStatus(),
                            r.getReasonCode().isEmpty() ? "" : " " + r.getReasonCode() + " (" + r.getDetail() + ")", (System.nanoTime() - sent) / 1_000_000, busy);
                    if (r.getStatus() != CommandResponse.Status.COMPLETED) {
                        System.out.println("FAIL: the update was not started");
                        return;
                    }
                    break;
                }
            }
            // the daemon downloads, writes and verifies in the background: follow its status file until the
            // install ends (reboot requested = written, digest verified, slot B primary) or fails, or the time is up
            Path status = work.resolve("status.json");
            String state = "", outcome = "";
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                String json;
                try {
                    json = Files.readString(status);
                } catch (java.io.IOException e) {
                    continue;
                }
                String install = field(json, "install"), last = field(json, "last_outcome");
                if (!install.isEmpty() && !install.equals(state)) {
                    state = install;
                    System.out.printf("%s at %d s (%d MiB served); ", state.substring(state.lastIndexOf(' ') + 1),
                            (System.nanoTime() - sent) / 1_000_000_000L, served.get() >> 20);
                }
                if (state.endsWith("reboot_requested")) break;
                if (!last.isEmpty() && !last.equals(outcome)) {
                    outcome = last;
                    break;
                }
            }
            long end = System.nanoTime();
            double dl = Math.max(1e-3, (lastByteAt.get() - firstByteAt.get()) / 1e9);
            String verdict = state.endsWith("reboot_requested") ? "PASS: image written to slot B, digest verified, slot B primary, reboot requested"
                    : !outcome.isEmpty() ? "FAIL: install ended " + outcome
                    : "FAIL: timed out after " + timeoutS + " s at state '" + state + "'";
            System.out.printf("%s; %d of %d MiB served, download %.0f s (%.1f MB/s), start-ota to the end %d s; sha256 %s%n", verdict,
                    served.get() >> 20, size >> 20, dl, served.get() / dl / 1e6, (end - sent) / 1_000_000_000L,
                    HexFormat.of().formatHex(digest).substring(0, 16));
        } finally {
            http.stop(0);
        }
    }

    /** A string field of the status file (flat search: "install" and "last_outcome" occur once, under ota). */
    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
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
