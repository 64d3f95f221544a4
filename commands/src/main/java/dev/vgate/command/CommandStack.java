package dev.vgate.command;

import dev.vgate.command.exec.CanCommandHandler;
import dev.vgate.command.exec.CanCommandMapping;
import dev.vgate.command.exec.CommandFrameSink;
import dev.vgate.command.exec.ConfigUpdateHandler;
import dev.vgate.command.exec.DtcCommandHandler;
import dev.vgate.command.exec.DtcService;
import dev.vgate.command.exec.ConfigUpdateSink;
import dev.vgate.command.exec.HandlerRegistry;
import dev.vgate.command.exec.KeySetUpdateHandler;
import dev.vgate.command.exec.OtaStarter;
import dev.vgate.command.exec.SignalStateView;
import dev.vgate.command.exec.StartOtaHandler;
import dev.vgate.command.exec.StateHandler;
import dev.vgate.command.state.AuditLog;
import dev.vgate.command.state.CommandStateDb;
import dev.vgate.command.state.StateDbKeySets;
import dev.vgate.trust.TrustException;
import dev.vgate.trust.KeySetState;
import dev.vgate.trust.TrustStore;
import dev.vgate.command.verify.CommandTypes;
import dev.vgate.command.verify.CommandVerifier;
import dev.vgate.command.verify.VerifierConfig;

import java.time.Clock;
import java.util.List;

/**
 * Wires the command subsystem from its parts: state database, trust store, handlers, verifier,
 * processor. The daemon and the CLI build theirs here, so both check exactly the same things.
 */
public final class CommandStack implements AutoCloseable {
    public static final List<String> DEFAULT_LOCATE_SIGNALS = List.of("Latitude", "Longitude");

    /** Where handlers act. Null-object defaults refuse, so a missing wire-up fails loudly, not silently. */
    public record Sinks(CommandFrameSink can, SignalStateView signals, ConfigUpdateSink config, OtaStarter ota,
                        CanCommandHandler.Pause pause, DtcService diag) {
        public static Sinks refusing() {
            return new Sinks(frame -> { throw new java.io.IOException("no CAN channel configured for commands"); },
                    SignalStateView.EMPTY,
                    (kind, payload) -> { throw new dev.vgate.command.exec.CommandFailedException("NOT_SUPPORTED", "no " + kind + " consumer configured"); },
                    manifest -> { throw new dev.vgate.command.exec.CommandFailedException("NOT_SUPPORTED", "no OTA client configured"); },
                    Thread::sleep, DtcService.NONE);
        }

        public Sinks withCan(CommandFrameSink c) { return new Sinks(c, signals, config, ota, pause, diag); }
        public Sinks withSignals(SignalStateView s) { return new Sinks(can, s, config, ota, pause, diag); }
        public Sinks withConfig(ConfigUpdateSink c) { return new Sinks(can, signals, c, ota, pause, diag); }
        public Sinks withOta(OtaStarter o) { return new Sinks(can, signals, config, o, pause, diag); }
        public Sinks withPause(CanCommandHandler.Pause p) { return new Sinks(can, signals, config, ota, p, diag); }
        public Sinks withDiag(DtcService d) { return new Sinks(can, signals, config, ota, pause, d); }
    }

    private final CommandStateDb state;
    private final TrustStore trust;
    private final HandlerRegistry handlers;
    private final CommandVerifier verifier;
    private final CommandProcessor processor;

    private CommandStack(CommandStateDb state, TrustStore trust, HandlerRegistry handlers, CommandVerifier verifier,
                         CommandProcessor processor) {
        this.state = state;
        this.trust = trust;
        this.handlers = handlers;
        this.verifier = verifier;
        this.processor = processor;
    }

    /**
     * A stack whose key set is kept in {@code state} (the CLI's {@code cmd verify --state}, tests). Takes
     * ownership of {@code state} (closed with this stack).
     */
    public static CommandStack create(VerifierConfig config, KeySetState initialTrust, CommandStateDb state,
                                      CanCommandMapping mapping, Sinks sinks, Clock clock) throws CommandException {
        TrustStore trust;
        try {
            trust = TrustStore.open(initialTrust, new StateDbKeySets(state, clock));
        } catch (TrustException e) {
            throw new CommandException(e.getMessage(), e);
        }
        return create(config, trust, state, mapping, sinks, clock);
    }

    /**
     * A stack on the device's shared trust store (the daemon: the same store verifies manifests and
     * configuration updates, so a key-set-update takes effect for all of them at once). Takes ownership of
     * {@code state}, not of {@code trust}.
     */
    public static CommandStack create(VerifierConfig config, TrustStore trust, CommandStateDb state,
                                      CanCommandMapping mapping, Sinks sinks, Clock clock) throws CommandException {
        HandlerRegistry handlers = new HandlerRegistry();
        for (CanCommandMapping.Entry e : mapping.entries().values()) {
            handlers.register(e.type(), new CanCommandHandler(e, mapping.dbc().encoder(), sinks.can(), sinks.pause()));
        }
        handlers.register(CommandTypes.GET_STATE, StateHandler.getState(sinks.signals()));
        handlers.register(CommandTypes.LOCATE, StateHandler.locate(sinks.signals(), DEFAULT_LOCATE_SIGNALS));
        handlers.register(CommandTypes.COLLECTION_POLICY, new ConfigUpdateHandler(ConfigUpdateSink.Kind.COLLECTION_POLICY, sinks.config()));
        handlers.register(CommandTypes.RULES, new ConfigUpdateHandler(ConfigUpdateSink.Kind.RULES, sinks.config()));
        handlers.register(CommandTypes.DBC_SET, new ConfigUpdateHandler(ConfigUpdateSink.Kind.DBC_SET, sinks.config()));
        handlers.register(CommandTypes.START_OTA, new StartOtaHandler(sinks.ota()));
        handlers.register(CommandTypes.KEY_SET_UPDATE, new KeySetUpdateHandler(trust));
        handlers.register(CommandTypes.READ_DTCS, DtcCommandHandler.read(sinks.diag()));
        handlers.register(CommandTypes.CLEAR_DTCS, DtcCommandHandler.clear(sinks.diag()));
        CommandVerifier verifier = new CommandVerifier(config, trust, state, handlers, clock);
        CommandProcessor processor = new CommandProcessor(verifier, handlers, new AuditLog(state, clock), clock);
        return new CommandStack(state, trust, handlers, verifier, processor);
    }

    public CommandStateDb state() { return state; }
    public TrustStore trust() { return trust; }
    public HandlerRegistry handlers() { return handlers; }
    public CommandVerifier verifier() { return verifier; }
    public CommandProcessor processor() { return processor; }

    @Override public void close() { state.close(); }
}
