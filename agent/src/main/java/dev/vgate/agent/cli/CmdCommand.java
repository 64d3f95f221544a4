package dev.vgate.agent.cli;

import static dev.vgate.input.Untrusted.escape;
import com.google.protobuf.ByteString;
import dev.vgate.command.CommandException;
import dev.vgate.command.CommandStack;
import dev.vgate.trust.crypto.KeyFormatException;
import dev.vgate.trust.crypto.PemKeys;
import dev.vgate.trust.crypto.PrivateKey;
import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.command.mqtt.CommandClient;
import dev.vgate.command.mqtt.CommandTopics;
import dev.vgate.command.sign.CommandSigner;
import dev.vgate.command.state.AuditLog;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustFile;
import dev.vgate.command.verify.CommandTypes;
import dev.vgate.command.verify.Verdict;
import dev.vgate.command.verify.VerifierConfig;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.protocol.command.Command;
import dev.vgate.protocol.command.CommandResponse;
import dev.vgate.protocol.command.SignedCommand;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code vgate cmd}: sign, verify and send signed commands (docs/commands.md). */
@CommandLine.Command(name = "cmd", description = "Sign, verify and send signed vehicle commands.",
        mixinStandardHelpOptions = true, subcommands = {CmdCommand.Sign.class, CmdCommand.Verify.class, CmdCommand.Send.class})
public final class CmdCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** "DIR/KEYID" names DIR/KEYID.pem; a path to an existing file is used as is. */
    static PrivateKey readKey(String ref) throws KeyFormatException { return PemKeys.readPrivateRef(ref); }

    static String keyId(String ref) { return PemKeys.keyIdOf(ref); }

    @CommandLine.Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Build and sign a command; writes the SignedCommand envelope (binary protobuf).")
    static final class Sign implements Callable<Integer> {
        /** The largest body: the agent's largest commands.max_payload. */
        static final int MAX_BODY_BYTES = 1 << 20;

        @Option(names = "--key", required = true, description = "private key DIR/KEYID (reads DIR/KEYID.pem; the key id is KEYID)") String key;
        @Option(names = "--key-id", description = "key id to name in the envelope (default: KEYID of --key)") String keyIdOverride;
        @Option(names = "--vehicle", required = true, description = "VIN of the target vehicle") String vehicle;
        @Option(names = "--type", required = true, description = "command type: ${COMPLETION-CANDIDATES}", completionCandidates = Types.class) String type;
        @Option(names = "--param", description = "parameter k=v (repeatable)") Map<String, String> params = new LinkedHashMap<>();
        @Option(names = "--ttl", defaultValue = "30s", converter = CliDurations.class, description = "validity (default 30s)") Duration ttl;
        @Option(names = "--seq", description = "sequence number (default: the issue time in ms, so it rises)") Long seq;
        @Option(names = "--id", description = "command id (default: a random UUID)") String id;
        @Option(names = "--body", description = "file whose bytes become the body (config, OTA manifest, key set)") Path body;
        @Option(names = "--issued-at", description = "issue time, epoch ms (default now; for tests of freshness)") Long issuedAt;
        @Option(names = "--out", defaultValue = "-", description = "output file (default stdout)") String out;

        @Override public Integer call() throws Exception {
            // refuse what every agent would refuse, rather than sign it
            if (!CommandTypes.ALL.contains(type)) throw new CommandException("--type '" + type + "' is not a command type (" + CommandTypes.ALL + ")");
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(VerifierConfig.DEFAULT_MAX_VALIDITY) > 0) {
                throw new CommandException("--ttl " + ttl.toMillis() + " ms: agents accept a validity of more than 0 and at most "
                        + VerifierConfig.DEFAULT_MAX_VALIDITY.toHours() + "h");
            }
            if (seq != null && seq < 0) throw new CommandException("--seq must not be negative");
            PrivateKey k = readKey(key);
            long now = issuedAt != null ? issuedAt : Clock.systemUTC().millis();
            Command.Builder c = Command.newBuilder().setCommandId(id != null ? id : UUID.randomUUID().toString())
                    .setVehicleId(vehicle).setIssuedAtMs(now).setExpiresAtMs(now + ttl.toMillis())
                    .setSequence(seq != null ? seq : now).setType(type).putAllParams(params);
            if (body != null) c.setBody(ByteString.copyFrom(dev.vgate.input.BoundedFiles.read(body, MAX_BODY_BYTES)));
            SignedCommand s = CommandSigner.sign(c.build(), keyIdOverride != null ? keyIdOverride : keyId(key), k);
            CliIo.writeOutput(out, s.toByteArray());
            return 0;
        }
    }

    static final class Types extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;
        Types() { super(CommandTypes.ALL); }
    }

    @CommandLine.Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a SignedCommand exactly as the agent does. Exit 0 'accepted <command_id>', "
                    + "exit 2 'rejected <REASON>: <detail>'. Nothing is executed; an accepted key-set-update is applied to --state.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--config", description = "take trust, vehicle, clock skew, size limit and CAN mapping from this vgate.yaml "
                + "(other options override it); the trust state is the device's: its trust file and the key-set updates "
                + "vgate run persisted in its state_dir (read, never written)") Path config;
        @Option(names = "--trust", description = "trust file (YAML); required without --config") Path trust;
        @Option(names = "--vehicle", description = "VIN this agent is; required without --config") String vehicle;
        @Option(names = "--state", description = "directory whose commands.db keeps replay, sequence, audit and key-set state between calls "
                + "(never point it at a running agent's state directory)") Path state;
        @Option(names = "--skew", converter = CliDurations.class, description = "allowed clock skew (default 30s)") Duration skew;
        @Option(names = "--max-bytes", description = "envelope size limit (default 16384, the agent's default)") Integer maxBytes;
        @Option(names = "--mapping", description = "CAN command mapping YAML (default: the built-in demo mapping, or the config's)") Path mapping;
        @Option(names = "--in", defaultValue = "-", description = "input file (default stdin)") String in;

        @Override public Integer call() throws Exception {
            Clock clock = Clock.systemUTC();
            CommandsConfig fromFile = null;
            VgateConfig device = null;
            String vin = vehicle;
            if (config != null) {
                device = ConfigLoader.load(config);
                if (device.commands() == null) throw new CommandException(config + ": no commands section (commands are disabled there)");
                fromFile = device.commands();
                if (vin == null) vin = device.vehicleId();
            }
            if (trust == null && device == null) throw new CommandException("give --trust or --config");
            if (vin == null) throw new CommandException("give --vehicle or --config");
            Duration s = skew != null ? skew : fromFile != null ? fromFile.clockSkew() : CommandsConfig.DEFAULT_CLOCK_SKEW;
            int max = maxBytes != null ? maxBytes : fromFile != null ? fromFile.maxPayload() : CommandsConfig.DEFAULT_MAX_PAYLOAD;
            // --config: the device's trust state as vgate run has it (trust file, rotations it persisted in state_dir),
            // read without changing it; --trust: that file alone
            KeySetState initial = trust != null ? TrustFile.load(trust).toState() : DeviceTrust.active(device, clock);
            VerifierConfig vc;
            try {
                vc = VerifierConfig.defaults(vin).withClockSkew(s).withMaxEnvelopeBytes(max);
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage(), e);
            }
            CanCommandMapping m = mapping != null ? CanCommandMapping.load(mapping)
                    : fromFile != null ? (fromFile.canMapping() != null ? CanCommandMapping.load(fromFile.canMapping()) : CanCommandMapping.none())
                    : CanCommandMapping.defaults();
            CommandStateDb db = state != null ? CommandStateDb.open(state) : CommandStateDb.inMemory();
            try (CommandStack stack = CommandStack.create(vc, initial, db, m, CommandStack.Sinks.refusing(), clock)) {
                byte[] envelope = CliIo.readInput(in, max);
                Verdict v = stack.verifier().verify(envelope);
                PrintWriter out = spec.commandLine().getOut();
                if (v instanceof Verdict.Rejected) {
                    Verdict.Rejected r = (Verdict.Rejected) v;
                    new AuditLog(db, clock).record(r, envelope);
                    out.println("rejected " + r.reasonCode() + ": " + escape(r.detail(), 400));
                    out.flush();
                    return VgateCommand.EXIT_REJECTED;
                }
                Command c = ((Verdict.Accepted) v).command();
                if (CommandTypes.KEY_SET_UPDATE.equals(c.getType())) {
                    stack.handlers().execute(c); // trust state is what this tool keeps; apply like the agent
                }
                out.println("accepted " + escape(c.getCommandId()));
                out.flush();
                return 0;
            }
        }
    }

    @CommandLine.Command(name = "send", mixinStandardHelpOptions = true,
            description = "Publish a SignedCommand to vgate/{vehicle}/cmd (or PREFIX/cmd), wait for the ACK and the RESULT, print the latencies. "
                    + "Exit 0 completed, 2 rejected or failed, 1 no answer.")
    static final class Send implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--broker", required = true, description = "broker URL, e.g. tcp://localhost:1883") String broker;
        @Option(names = "--vehicle", description = "VIN (default: the vehicle_id inside the command)") String vehicle;
        @Option(names = "--topic-prefix", description = "the agent's mqtt.topic_prefix (default vgate/VIN)") String topicPrefix;
        @Option(names = "--timeout", defaultValue = "10s", converter = CliDurations.class, description = "how long to wait for the result") Duration timeout;
        @Option(names = "--expiry", defaultValue = "30s", converter = CliDurations.class, description = "MQTT message expiry (default 30s)") Duration expiry;
        @Option(names = "--in", defaultValue = "-", description = "input file (default stdin)") String in;

        @Override public Integer call() throws Exception {
            byte[] envelope = CliIo.readInput(in, 16 * 1024 * 1024);
            String vin = vehicle;
            if (vin == null) {
                try {
                    vin = Command.parseFrom(SignedCommand.parseFrom(envelope).getPayload()).getVehicleId();
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new CommandException("input is not a SignedCommand (" + e.getMessage() + "); give --vehicle to send it anyway");
                }
            }
            String topic = CommandTopics.commandsUnder(topicPrefix != null ? topicPrefix : CommandTopics.defaultPrefix(vin));
            PrintWriter out = spec.commandLine().getOut();
            try (CommandClient client = CommandClient.connect(broker, timeout.toMillis())) {
                CommandClient.Exchange ex = client.sendTo(topic, envelope, expiry.toSeconds());
                long deadline = System.nanoTime() + timeout.toNanos();
                try {
                    ex.ack.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                    out.printf("ack %.1f ms%n", (ex.ackNanos() - ex.sentNanos) / 1e6);
                    CommandResponse r = ex.result.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    out.printf("result %s %.1f ms%s%n", r.getStatus(), (ex.resultNanos() - ex.sentNanos) / 1e6,
                            r.getReasonCode().isEmpty() ? "" : " " + escape(r.getReasonCode()) + ": " + escape(r.getDetail(), 400));
                    new java.util.TreeMap<>(r.getValuesMap()).forEach((k, v) -> out.println("  " + escape(k) + " = " + escape(v)));
                    out.flush();
                    return r.getStatus() == CommandResponse.Status.COMPLETED ? 0 : VgateCommand.EXIT_REJECTED;
                } catch (TimeoutException e) {
                    out.flush();
                    throw new CommandException("no " + (ex.ack.isDone() ? "result" : "ack") + " within " + timeout.toMillis() + " ms");
                } catch (ExecutionException e) {
                    throw new CommandException(e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }
}
