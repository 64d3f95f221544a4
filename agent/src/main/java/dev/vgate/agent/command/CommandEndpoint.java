package dev.vgate.agent.command;

import dev.vgate.command.CommandException;
import dev.vgate.command.CommandStack;

import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.command.mqtt.CommandService;
import dev.vgate.command.mqtt.CommandTopics;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.TrustStore;
import dev.vgate.command.verify.VerifierConfig;
import dev.vgate.agent.config.CommandsConfig;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.agent.daemon.Service;
import dev.vgate.mqtt.MqttLink;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command listener as {@code vgate run} runs it: the {@link CommandStack} (verifier, trust store,
 * replay state, handlers) behind a {@link CommandService} on the daemon's MQTT link. This is the one
 * factory the daemon needs:
 *
 * <pre>
 * CommandStack.Sinks sinks = CommandStack.Sinks.refusing()
 *         .withCan(CommandFrameSink.to(canChannel))   // the bus CAN commands are sent on
 *         .withSignals(latestValues)                  // get-state / locate (optional)
 *         .withConfig(configUpdates)                  // rules / collection-policy (optional)
 *         .withOta(manifest -> ota.start(manifest));  // start-ota (optional)
 * TrustStore trust = DeviceTrust.open(config, clock);      // shared with the OTA client
 * CommandEndpoint commands = CommandEndpoint.fromConfig(config, trust, mqttLink, sinks, Clock.systemUTC());
 * supervisor.add(commands);                           // a {@link Service}: start() opens state and subscribes
 * </pre>
 *
 * {@link #fromConfig} reads the trust file and the CAN mapping and throws on any error in them (a
 * configuration error: the daemon should refuse to start rather than run without verification).
 * {@link #start()} opens {@code stateDir/commands.db} and subscribes to {@code PREFIX/cmd} (PREFIX is
 * {@code mqtt.topic_prefix}, by default {@code vgate/{vehicle}}; rejections are uploaded to {@code PREFIX/audit});
 * if the database cannot be opened it throws, and the supervisor retries it. A sink left at
 * {@link CommandStack.Sinks#refusing()} makes its commands FAILED with NOT_SUPPORTED (or, for CAN,
 * CAN_SEND_FAILED), never silently dropped.
 */
public final class CommandEndpoint implements Service {
    private final String topicPrefix;
    private final Path stateDir;
    private final VerifierConfig verifierConfig;
    private final TrustStore trust;
    private final CanCommandMapping mapping;
    private final MqttLink link;
    private final CommandStack.Sinks sinks;
    private final Clock clock;
    private CommandStack stack;
    private CommandService service;

    private CommandEndpoint(String topicPrefix, Path stateDir, VerifierConfig verifierConfig, TrustStore trust,
                            CanCommandMapping mapping, MqttLink link, CommandStack.Sinks sinks, Clock clock) {
        this.topicPrefix = topicPrefix;
        this.stateDir = stateDir;
        this.verifierConfig = verifierConfig;
        this.trust = trust;
        this.mapping = mapping;
        this.link = link;
        this.sinks = sinks;
        this.clock = clock;
    }

    /**
     * The endpoint for a validated daemon configuration whose {@code commands} section is present.
     *
     * @throws CommandException the commands section is missing, or the trust file or CAN mapping is unusable
     */
    public static CommandEndpoint fromConfig(VgateConfig config, MqttLink link, CommandStack.Sinks sinks, Clock clock)
            throws CommandException {
        if (config.commands() == null) throw new CommandException("commands: section missing; commands are disabled");
        try {
            return fromConfig(config, DeviceTrust.open(config, clock), link, sinks, clock);
        } catch (TrustException e) {
            throw new CommandException(e.getMessage(), e);
        }
    }

    /** As {@link #fromConfig(VgateConfig, MqttLink, CommandStack.Sinks, Clock)} on the daemon's shared trust store. */
    public static CommandEndpoint fromConfig(VgateConfig config, TrustStore trust, MqttLink link, CommandStack.Sinks sinks, Clock clock)
            throws CommandException {
        if (config.commands() == null) throw new CommandException("commands: section missing; commands are disabled");
        String prefix = config.mqtt() != null && config.mqtt().topicPrefix() != null ? config.mqtt().topicPrefix() : null;
        return create(config.vehicleId(), prefix, config.stateDir(), config.commands(), trust, link, sinks, clock);
    }

    /**
     * As {@link #fromConfig}, from the parts (tests, demo, benchmarks).
     *
     * @param topicPrefix the MQTT topic prefix; null for the default {@code vgate/{vehicleId}}
     */
    public static CommandEndpoint create(String vehicleId, String topicPrefix, Path stateDir, CommandsConfig commands,
                                         MqttLink link, CommandStack.Sinks sinks, Clock clock) throws CommandException {
        if (commands.trust() == null) throw new CommandException("commands.trust: required");
        prefix(vehicleId, topicPrefix); // a bad vehicle id or prefix is named before the trust file is read
        TrustStore trust;
        try {
            trust = DeviceTrust.open(commands.trust(), stateDir, clock); // as the daemon opens it (one trust state)
        } catch (TrustException e) {
            throw new CommandException(e.getMessage(), e);
        }
        return create(vehicleId, topicPrefix, stateDir, commands, trust, link, sinks, clock);
    }

    /** As {@link #create(String, String, Path, CommandsConfig, MqttLink, CommandStack.Sinks, Clock)} on the device's shared trust store. */
    public static CommandEndpoint create(String vehicleId, String topicPrefix, Path stateDir, CommandsConfig commands, TrustStore trust,
                                         MqttLink link, CommandStack.Sinks sinks, Clock clock) throws CommandException {
        String prefix = prefix(vehicleId, topicPrefix);
        Duration skew = commands.clockSkew() != null ? commands.clockSkew() : CommandsConfig.DEFAULT_CLOCK_SKEW;
        int maxPayload = commands.maxPayload() > 0 ? commands.maxPayload() : CommandsConfig.DEFAULT_MAX_PAYLOAD;
        VerifierConfig vc;
        try {
            vc = VerifierConfig.defaults(vehicleId).withClockSkew(skew).withMaxEnvelopeBytes(maxPayload);
        } catch (IllegalArgumentException e) {
            throw new CommandException("commands: " + e.getMessage(), e);
        }
        KeySetState active = trust.current();
        CanCommandMapping mapping = commands.canMapping() != null ? CanCommandMapping.load(commands.canMapping()) : CanCommandMapping.none();
        Logger.info("commands: trust {} (key set version {}, {} key(s), root threshold {}), {} CAN command type(s){}",
                commands.trust(), active.version(), active.keys().size(), active.rootThreshold(), mapping.entries().size(),
                commands.canMapping() != null ? " from " + commands.canMapping() : "");
        return new CommandEndpoint(prefix, stateDir, vc, trust, mapping, link, sinks, clock);
    }

    private static String prefix(String vehicleId, String topicPrefix) throws CommandException {
        try {
            CommandTopics.checkVehicleId(vehicleId);
            String prefix = topicPrefix != null ? topicPrefix : CommandTopics.defaultPrefix(vehicleId);
            CommandTopics.checkPrefix(prefix);
            return prefix;
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage(), e);
        }
    }

    @Override public String name() { return "commands"; }

    @Override public synchronized void start() throws CommandException {
        if (service != null) return;
        CommandStack s = CommandStack.create(verifierConfig, trust, CommandStateDb.open(stateDir), mapping, sinks, clock);
        try {
            CommandService svc = new CommandService(topicPrefix, link, s.processor(), s.state(), clock, verifierConfig.maxEnvelopeBytes());
            svc.start();
            stack = s;
            service = svc;
        } catch (RuntimeException e) {
            s.close();
            throw new CommandException("commands: cannot start the listener: " + e.getMessage(), e);
        }
        Logger.info("commands: active key set version {}", s.trust().current().version());
    }

    /** The running stack (trust store, state), or null before {@link #start()} succeeded. */
    public synchronized CommandStack stack() { return stack; }

    @Override public synchronized void stop() {
        if (service != null) service.close();
        if (stack != null) stack.close();
        service = null;
        stack = null;
    }

    @Override public synchronized Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", CommandTopics.commandsUnder(topicPrefix));
        if (service == null) return m;
        m.putAll(service.status());
        m.put("key_set_version", stack.trust().current().version());
        return m;
    }

    @Override public synchronized boolean healthy() { return service != null; }
}
