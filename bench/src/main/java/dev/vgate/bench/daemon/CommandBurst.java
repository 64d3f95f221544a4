package dev.vgate.bench.daemon;

import dev.vgate.command.CommandException;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stress run's command burst (bench/daemon-footprint --burst): signs COUNT get-state commands with KEY and
 * publishes them all to the vehicle's command topic as fast as the client's in-flight window allows, then waits
 * for their results. The agent queues up to 256 commands and answers the rest {@code REJECTED AGENT_BUSY}
 * ("nothing recorded, resend it", docs/commands.md): as a cloud would, those are sent again (same command id,
 * signed again with a new, higher sequence) one second later, round after round, until every command has a final
 * answer or WAIT_S seconds passed. A command with neither an ACK nor a result 30 s after its round was published
 * (a broker drops messages beyond its queue: mosquitto's max_queued_messages) is sent again the same way. Prints the first round's answers, the resends, the final answers by status
 * and the latency from a command's first publish to its final result (median, 95th percentile, max).
 * A command whose result cannot arrive (the client lost its connection) counts as LOST.
 * Usage: CommandBurst BROKER_URL VEHICLE KEY_PREFIX COUNT [WAIT_S]   (KEY_PREFIX: KEY_PREFIX.pem, key id = its file name)
 */
public final class CommandBurst {
    /** A command neither acknowledged nor answered this long after its round was published is sent again. */
    private static final long NO_ACK_RESEND_S = 30;

    private CommandBurst() {}

    /** One command of the burst: its id, when it was first published, and its latest exchange. */
    private static final class Pending {
        final String id = UUID.randomUUID().toString();
        long firstSentNanos;
        CommandClient.Exchange exchange;
        String finalStatus;
        long latencyMs;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], vehicle = args[1];
        Path keyFile = Path.of(args[2] + ".pem");
        int count = Integer.parseInt(args[3]);
        long waitS = args.length > 4 ? Long.parseLong(args[4]) : 300;
        PrivateKey key = PemKeys.readPrivate(keyFile);
        String keyId = Path.of(args[2]).getFileName().toString();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(waitS);
        long seqBase = System.currentTimeMillis() * 1000;
        long sends = 0;
        List<Pending> all = new ArrayList<>();
        for (int i = 0; i < count; i++) all.add(new Pending());
        Map<String, Integer> firstRound = new TreeMap<>();
        String lostReason = null, publishError = null;
        int rounds = 0, unacknowledged = 0;
        long publishedFirst = 0;
        try (CommandClient client = connectWithRetry(url, t0 + TimeUnit.SECONDS.toNanos(60))) {
            long connected = System.nanoTime();
            List<Pending> toSend = all;
            while (!toSend.isEmpty() && System.nanoTime() < deadline && publishError == null) {
                rounds++;
                for (Pending p : toSend) {
                    long now = System.currentTimeMillis();
                    // sent in order from one client: the sequence increases in the order the agent sees them
                    Command c = Command.newBuilder().setCommandId(p.id).setVehicleId(vehicle)
                            .setIssuedAtMs(now).setExpiresAtMs(now + 300_000).setSequence(seqBase + sends++)
                            .setType("get-state").putParams("signals", "pcan.TempIn,ccan.BAT_SOC").build();
                    byte[] envelope = CommandSigner.sign(c, keyId, key).toByteArray();
                    long giveUp = System.nanoTime() + 60_000_000_000L;
                    while (true) {
                        try {
                            p.exchange = client.send(vehicle, envelope, 300);
                            if (p.firstSentNanos == 0) p.firstSentNanos = p.exchange.sentNanos;
                            break;
                        } catch (CommandException e) { // the client's in-flight window is full: wait for acknowledgements
                            if (System.nanoTime() > giveUp) {
                                publishError = e.getMessage();
                                break;
                            }
                            Thread.sleep(2);
                        }
                    }
                    if (publishError != null) break;
                }
                long roundPublished = System.nanoTime();
                if (rounds == 1) publishedFirst = roundPublished;
                long ackBy = roundPublished + TimeUnit.SECONDS.toNanos(NO_ACK_RESEND_S);
                List<Pending> busy = new ArrayList<>();
                for (Pending p : toSend) {
                    if (p.exchange == null) continue;
                    try {
                        CommandResponse r;
                        try {
                            r = p.exchange.result.get(Math.max(1, (Math.min(deadline, ackBy) - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                        } catch (TimeoutException e) {
                            if (!p.exchange.ack.isDone()) { // never reached the agent (a broker drops beyond its queue): send again
                                if (rounds == 1) firstRound.merge("NO_ACK", 1, Integer::sum);
                                unacknowledged++;
                                busy.add(p);
                                continue;
                            }
                            r = p.exchange.result.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                        }
                        String status = r.getStatus().name() + (r.getReasonCode().isEmpty() ? "" : "/" + r.getReasonCode());
                        if (rounds == 1) firstRound.merge(status, 1, Integer::sum);
                        if (r.getStatus() == CommandResponse.Status.REJECTED && r.getReasonCode().equals("AGENT_BUSY")) {
                            busy.add(p);
                        } else {
                            p.finalStatus = status;
                            p.latencyMs = (p.exchange.resultNanos() - p.firstSentNanos) / 1_000_000;
                        }
                    } catch (TimeoutException e) {
                        p.finalStatus = "NO_RESULT";
                    } catch (ExecutionException e) {
                        p.finalStatus = "LOST";
                        lostReason = e.getCause().getMessage();
                    }
                }
                toSend = busy;
                if (!busy.isEmpty()) Thread.sleep(1000);
            }
            Map<String, Integer> byStatus = new TreeMap<>();
            List<Long> latencyMs = new ArrayList<>();
            for (Pending p : all) {
                String s = p.finalStatus != null ? p.finalStatus : p.exchange == null ? "NOT_SENT" : "STILL_BUSY";
                byStatus.merge(s, 1, Integer::sum);
                if (p.finalStatus != null && !p.finalStatus.equals("NO_RESULT") && !p.finalStatus.equals("LOST")) latencyMs.add(p.latencyMs);
            }
            latencyMs.sort(null);
            System.out.printf("%d commands published in %d ms (connected after %d ms)%s; first round %s; %d resends (%d of them unacknowledged after %d s) in %d rounds;"
                            + " final %s%s; latency first publish -> final result %s; all in %d ms%n",
                    count, (publishedFirst - connected) / 1_000_000, (connected - t0) / 1_000_000,
                    publishError == null ? "" : " (publishing stopped: " + publishError + ")", firstRound, sends - count, unacknowledged, NO_ACK_RESEND_S, rounds, byStatus,
                    lostReason == null ? "" : " (LOST: " + lostReason + ")",
                    latencyMs.isEmpty() ? "n/a" : String.format("median %d ms, p95 %d ms, max %d ms", latencyMs.get(latencyMs.size() / 2),
                            latencyMs.get((int) Math.min(latencyMs.size() - 1, Math.round(latencyMs.size() * 0.95))), latencyMs.get(latencyMs.size() - 1)),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Connects, retrying every second until {@code deadlineNanos} (the broker may still be starting after an outage). */
    static CommandClient connectWithRetry(String url, long deadlineNanos) throws CommandException, InterruptedException {
        while (true) {
            try {
                return CommandClient.connect(url, 10_000);
            } catch (CommandException e) {
                if (System.nanoTime() > deadlineNanos) throw e;
                Thread.sleep(1000);
            }
        }
    }
}
