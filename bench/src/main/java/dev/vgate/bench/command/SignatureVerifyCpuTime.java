package dev.vgate.bench.command;

import dev.vgate.trust.crypto.KeyAlgorithm;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.trust.crypto.PublicKey;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.SignedCommand;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;

/**
 * Verifications per second per core, by the measuring thread's own CPU time rather than wall time:
 * on a shared machine the wall-clock throughput ({@link SignatureVerifyBenchmark}) mostly measures how
 * much of a core the scheduler gave the thread, while CPU time counts only the work. Same operation
 * as the JMH benchmark (parse the envelope of an unlock command, verify its signature). Run:
 * <pre>java -cp bench/target/benchmarks.jar dev.vgate.bench.command.SignatureVerifyCpuTime [verifications]</pre>
 */
public final class SignatureVerifyCpuTime {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isCurrentThreadCpuTimeSupported()) throw new IllegalStateException("no thread CPU time on this JVM");
        System.out.println("| algorithm | verifications | CPU time | verifications per CPU-second (per core) | wall time |");
        System.out.println("|---|---|---|---|---|");
        for (KeyAlgorithm alg : KeyAlgorithm.values()) {
            PrivateKey key = PrivateKey.generate(alg, new SecureRandom());
            PublicKey pub = key.publicKey();
            long now = System.currentTimeMillis();
            Command c = Command.newBuilder().setCommandId("6f1c2b9e-3c1e-4a57-9a43-0d5c1b7e2f10").setVehicleId("KMHK381GFMU123456")
                    .setIssuedAtMs(now).setExpiresAtMs(now + 30_000).setSequence(now).setType("unlock").build();
            byte[] envelope = CommandSigner.sign(c, "owner-app-1", key).toByteArray();
            int ok = 0;
            for (int i = 0; i < n / 2; i++) ok += verify(envelope, pub) ? 1 : 0; // warm-up (JIT)
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < n; i++) ok += verify(envelope, pub) ? 1 : 0;
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            if (ok != n + n / 2) throw new IllegalStateException(alg + ": " + (n + n / 2 - ok) + " verifications failed");
            System.out.printf("| %s | %,d | %.2f s | %,.0f | %.2f s |%n", alg.cliName(), n, cpu / 1e9, n / (cpu / 1e9), wall / 1e9);
        }
    }

    private static boolean verify(byte[] envelope, PublicKey pub) throws Exception {
        SignedCommand s = SignedCommand.parseFrom(envelope);
        return pub.verify(s.getPayload().toByteArray(), s.getSignature().toByteArray());
    }
}
