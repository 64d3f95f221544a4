package dev.vgate.bench.command;

import dev.vgate.agent.command.CommandEndpoint;
import dev.vgate.command.CommandStack;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.command.exec.CommandFrameSink;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanEventListener;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.mqtt.testing.EmbeddedBroker;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end command latency over a loopback broker, one command at a time, as the platform sees it:
 * the cloud's {@link CommandClient} publishes a signed unlock to {@code vgate/{vehicle}/cmd} on an
 * embedded Moquette broker; the agent's {@link CommandEndpoint} (the daemon's wiring: PahoMqttLink,
 * verifier with its SQLite replay state on disk, CAN handler) puts the mapped frame on a virtual CAN
 * bus, where a second node stamps its arrival; the RESULT comes back on the response topic.
 *
 * <p>Not JMH: the measure is a fixed number of commands and their latency distribution. Commands are
 * signed before the clock starts (signing is the cloud's cost). Run:
 * <pre>java -cp bench/target/benchmarks.jar dev.vgate.bench.command.CommandRoundTripBench [commands] [warmup] [ed25519|p256]</pre>
 */
public final class CommandRoundTripBench {
    private static final String VIN = "KMHK381GFMU123456";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        KeyAlgorithm alg = KeyAlgorithm.parse(args.length > 2 ? args[2] : "ed25519");
        Path dir = Files.createTempDirectory("vgate-cmd-bench");
        PrivateKey key = PrivateKey.generate(alg, new SecureRandom());
        PrivateKey root = PrivateKey.generate(KeyAlgorithm.ED25519, new SecureRandom());
        PemKeys.writePublic(dir.resolve("owner.pub.pem"), key.publicKey());
        PemKeys.writePublic(dir.resolve("root.pub.pem"), root.publicKey());
        Files.writeString(dir.resolve("trust.yaml"), "version: 1\nkeys:\n"
                + "  - {id: owner-app-1, public_key: owner.pub.pem, commands: [unlock]}\n"
                + "root:\n  threshold: 1\n  keys:\n    - {id: root-1, public_key: root.pub.pem}\n");
        Files.writeString(dir.resolve("can.yaml"), "dbc: classpath:dev/vgate/dbc/demo/vgate-demo.dbc\ncommands:\n"
                + "  unlock: {message: Body_Command, signals: {DoorLockRequest: UNLOCK}}\n");
        CommandsConfig config = new CommandsConfig(dir.resolve("trust.yaml"), Duration.ofSeconds(30), 16 * 1024, dir.resolve("can.yaml"));

        List<byte[]> envelopes = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < warmup + n; i++) {
            Command c = Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(VIN).setIssuedAtMs(now)
                    .setExpiresAtMs(now + 600_000).setSequence(i + 1).setType("unlock").build();
            envelopes.add(CommandSigner.sign(c, "owner-app-1", key).toByteArray());
        }

        VirtualBus bus = new VirtualBus("vcan0");
        SynchronousQueue<Long> frameAt = new SynchronousQueue<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             CanChannel agentCan = bus.newChannel();
             CanChannel observer = bus.newChannel()) {
            agentCan.start(f -> { }, CanEventListener.LOG);
            observer.start(f -> {
                try {
                    frameAt.offer(System.nanoTime(), 5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, CanEventListener.LOG);
            PahoMqttLink link = new PahoMqttLink(MqttSettings.of(broker.url(), "vgate-bench-agent")).start();
            if (!link.awaitConnected(Duration.ofSeconds(10))) throw new IllegalStateException("agent did not connect");
            CommandStack.Sinks sinks = CommandStack.Sinks.refusing().withCan(CommandFrameSink.to(agentCan));
            CommandEndpoint endpoint = CommandEndpoint.create(VIN, null, dir.resolve("state"), config, link, sinks, Clock.systemUTC());
            endpoint.start();
            try (CommandClient cloud = CommandClient.connect(broker.url(), 10_000)) {
                long[] toFrame = new long[n], toAck = new long[n], toResult = new long[n];
                for (int i = 0; i < warmup + n; i++) {
                    CommandClient.Exchange ex = cloud.send(VIN, envelopes.get(i), 60);
                    Long frame = frameAt.poll(10, TimeUnit.SECONDS);
                    CommandResponse r = ex.result.get(10, TimeUnit.SECONDS);
                    ex.ack.get(10, TimeUnit.SECONDS);
                    if (frame == null || r.getStatus() != CommandResponse.Status.COMPLETED) {
                        throw new IllegalStateException("command " + i + ": frame " + frame + ", result " + r);
                    }
                    if (i < warmup) continue;
                    toFrame[i - warmup] = frame - ex.sentNanos;
                    toAck[i - warmup] = ex.ackNanos() - ex.sentNanos;
                    toResult[i - warmup] = ex.resultNanos() - ex.sentNanos;
                }
                System.out.printf("%d unlock commands (%s, after %d warm-up), one at a time, loopback Moquette, SQLite state on disk%n",
                        n, alg.cliName(), warmup);
                System.out.println("| stage | p50 | p90 | p99 | max |");
                System.out.println("|---|---|---|---|---|");
                row("published → ACK received", toAck);
                row("published → frame on the bus", toFrame);
                row("published → RESULT received", toResult);
            } finally {
                endpoint.stop();
                link.close();
            }
        }
    }

    private static void row(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("| %s | %s | %s | %s | %s |%n", what, ms(pct(s, 50)), ms(pct(s, 90)), ms(pct(s, 99)), ms(s[s.length - 1]));
    }

    /** Nearest-rank percentile. */
    private static long pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(long nanos) { return String.format("%.2f ms", nanos / 1e6); }
}
