package dev.vgate.bench.command;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.SignedCommand;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * Command signature verifications per second on one thread (= per core): parse the SignedCommand
 * envelope of a typical unlock command, then verify its signature, for each algorithm. This is the
 * CPU part of the verifier; the replay/sequence commit to SQLite comes on top (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SignatureVerifyBenchmark {
    @Param({"ED25519", "P256"})
    public KeyAlgorithm algorithm;

    private byte[] envelope;
    private PublicKey publicKey;

    @Setup public void setUp() throws Exception {
        PrivateKey key = PrivateKey.generate(algorithm, new SecureRandom());
        publicKey = key.publicKey();
        long now = System.currentTimeMillis();
        Command c = Command.newBuilder().setCommandId("6f1c2b9e-3c1e-4a57-9a43-0d5c1b7e2f10").setVehicleId("KMHK381GFMU123456")
                .setIssuedAtMs(now).setExpiresAtMs(now + 30_000).setSequence(now).setType("unlock").build();
        envelope = CommandSigner.sign(c, "owner-app-1", key).toByteArray();
        if (!verify()) throw new IllegalStateException("benchmark envelope does not verify");
    }

    @Benchmark public boolean verify() throws InvalidProtocolBufferException {
        SignedCommand s = SignedCommand.parseFrom(envelope);
        return publicKey.verify(s.getPayload().toByteArray(), s.getSignature().toByteArray());
    }
}
