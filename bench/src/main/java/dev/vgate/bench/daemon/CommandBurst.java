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
import java.util.concurrent.TimeUnit;

/**
 * The stress run's command burst (bench/daemon-footprint --burst): signs COUNT get-state commands with KEY and
 * publishes them to the vehicle's command topic as fast as the client's in-flight window allows, then waits
 * for every result and prints how many arrived by status and the slowest.
 * Usage: CommandBurst BROKER_URL VEHICLE KEY_PREFIX COUNT   (KEY_PREFIX: KEY_PREFIX.pem, key id = its file name)
 */
public final class CommandBurst {
    private CommandBurst() {}

    public static void main(String[] args) throws Exception {
        String url = args[0], vehicle = args[1];
        Path keyFile = Path.of(args[2] + ".pem");
        int count = Integer.parseInt(args[3]);
        PrivateKey key = PemKeys.readPrivate(keyFile);
        String keyId = Path.of(args[2]).getFileName().toString();
        List<CommandClient.Exchange> sent = new ArrayList<>();
        long t0 = System.nanoTime();
        try (CommandClient client = CommandClient.connect(url, 10_000)) {
            for (int i = 0; i < count; i++) {
                long now = System.currentTimeMillis();
                Command c = Command.newBuilder().setCommandId(UUID.randomUUID().toString()).setVehicleId(vehicle)
                        .setIssuedAtMs(now).setExpiresAtMs(now + 120_000).setSequence(now * 1000 + i)
                        .setType("get-state").putParams("signals", "pcan.TempIn,ccan.BAT_SOC").build();
                byte[] envelope = CommandSigner.sign(c, keyId, key).toByteArray();
                long giveUp = System.nanoTime() + 60_000_000_000L;
                while (true) {
                    try {
                        sent.add(client.send(vehicle, envelope, 120));
                        break;
                    } catch (CommandException e) { // the client's in-flight window is full: wait for acknowledgements
                        if (System.nanoTime() > giveUp) throw e;
                        Thread.sleep(2);
                    }
                }
            }
            long published = System.nanoTime();
            Map<String, Integer> byStatus = new TreeMap<>();
            long slowestMs = 0;
            for (CommandClient.Exchange ex : sent) {
                String status;
                try {
                    CommandResponse r = ex.result.get(Math.max(1, 180_000 - (System.nanoTime() - t0) / 1_000_000), TimeUnit.MILLISECONDS);
                    status = r.getStatus().name();
                    slowestMs = Math.max(slowestMs, (ex.resultNanos() - ex.sentNanos) / 1_000_000);
                } catch (java.util.concurrent.TimeoutException e) {
                    status = "NO_RESULT";
                }
                byStatus.merge(status, 1, Integer::sum);
            }
            System.out.printf("%d commands published in %d ms; results %s; slowest result %d ms after its publish; all in %d ms%n",
                    count, (published - t0) / 1_000_000, byStatus, slowestMs, (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
