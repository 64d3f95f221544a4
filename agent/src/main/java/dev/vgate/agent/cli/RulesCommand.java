package dev.vgate.agent.cli;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.rules.Action;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.Rule;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import dev.vgate.rules.RulesReplay;
import dev.vgate.rules.TickingEvaluator;
import dev.vgate.rules.alert.AlertJournal;
import dev.vgate.rules.alert.AlertOutbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code vgate rules check|replay|run|defaults}: validate a rules file against a DBC, replay a recording through
 * it, run it live on a CAN interface.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Edge rules: validate a rules file against a DBC, replay a candump recording through it, run it on a CAN interface.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Replay.class, RulesCommand.Run.class, RulesCommand.Defaults.class})
public final class RulesCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.err); }

    /** Options shared by check and replay. */
    static final class Inputs {
        @Option(names = "--dbc", required = true, description = "DBC file the rules refer to.") Path dbc;
        @Option(names = "--rules", description = "Rules file (YAML). Default: the built-in default rule set.") Path rules;
        @Option(names = "--rules-memory", paramLabel = "SIZE", defaultValue = "8MiB",
                description = "The rule engine's memory budget, as rules_memory in the daemon's configuration (default ${DEFAULT-VALUE}).")
        String rulesMemory;

        RuleSet load() throws DbcException, RulesException {
            RuleDbc db = RuleDbc.of(DbcDatabase.load(dbc));
            if (rules == null) return RuleSet.defaults(db);
            long budget;
            try {
                budget = dev.vgate.agent.config.ConfigValues.parseSize(rulesMemory);
            } catch (IllegalArgumentException e) {
                throw new RulesException("--rules-memory: " + e.getMessage());
            }
            return RuleSet.load(rules, db, budget);
        }

        DbcDatabase database() throws DbcException { return DbcDatabase.load(dbc); }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a rules file against a DBC: every signal, unit, label and action frame. "
                    + "Exit 0 when valid, 2 with the rule, field and reason when not.")
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Mixin Inputs in = new Inputs();

        @Override public Integer call() throws Exception {
            RuleSet set;
            try {
                set = in.load();
            } catch (RulesException e) {
                System.err.println("vgate rules check: " + e.getMessage());
                return VgateCommand.EXIT_REJECTED;
            }
            PrintStream out = System.out;
            out.println(set.source() + ": " + set.rules().size() + " rules valid against " + in.dbc + "; engine memory "
                    + set.memoryBytes() + " bytes");
            for (Rule r : set.rules()) {
                StringBuilder sb = new StringBuilder("  ").append(r.name()).append(": when ").append(r.when());
                if (r.clear() != null) sb.append("; clear ").append(r.clear());
                sb.append("; actions:");
                for (Action a : r.actions()) sb.append(' ').append(describe(a));
                out.println(sb);
            }
            return 0;
        }

        private static String describe(Action a) {
            if (a instanceof Action.SendCan c) {
                StringBuilder hex = new StringBuilder();
                for (byte b : c.payload()) hex.append(String.format("%02X", b));
                return "can(" + c.message().name() + " " + String.format(c.message().isExtended() ? "%08X" : "%03X", c.message().frameId())
                        + "#" + hex + (c.repeat() > 1 ? " x" + c.repeat() : "") + ")";
            }
            if (a instanceof Action.RaiseAlert al) return "alert(" + al.severity().name().toLowerCase() + ")";
            if (a instanceof Action.RaiseFault f) return "fault(" + f.code() + ")";
            Action.SwitchCollection s = (Action.SwitchCollection) a;
            return "collect(" + s.policy() + ")";
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Run a candump -L recording (stdin) through the rules with the recording's timestamps; "
                    + "prints one JSON line per fired/cleared event with the encoded action frames.")
    static final class Replay implements Callable<Integer> {
        @picocli.CommandLine.Mixin Inputs in = new Inputs();

        @Override public Integer call() throws Exception {
            DbcDatabase db = in.database();
            RuleSet set;
            try {
                set = in.rules == null ? RuleSet.defaults(RuleDbc.of(db)) : RuleSet.load(in.rules, RuleDbc.of(db));
            } catch (RulesException e) {
                System.err.println("vgate rules replay: " + e.getMessage());
                return VgateCommand.EXIT_REJECTED;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
            PrintStream out = System.out;
            RulesReplay.Summary s = new RulesReplay(set, db.newDecoder()).run(reader, out::println);
            out.flush();
            System.err.println("vgate rules replay: " + s.frames() + " frames (" + s.decoded() + " decoded), "
                    + s.events() + " events" + (s.badLines() > 0 ? ", " + s.badLines() + " bad lines skipped" : ""));
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the rules live on a SocketCAN interface: CAN actions are sent on it, alerts printed "
                    + "as JSON lines and, with --mqtt, published with QoS 1 and kept in --alert-journal until the broker "
                    + "acknowledges them. For bench tests of a rules file; the daemon runs rules as part of the agent.",
                    "Writes '# rules running on IFACE' to stderr once receiving."})
    static final class Run implements Callable<Integer> {
        @picocli.CommandLine.Mixin Inputs in = new Inputs();
        @Option(names = "--iface", required = true, description = "CAN interface, e.g. can0 or vcan0") String iface;
        @Option(names = "--mqtt", paramLabel = "URL", description = "broker to publish alerts to, e.g. tcp://127.0.0.1:1883") String mqtt;
        @Option(names = "--alert-topic", defaultValue = "vgate/alerts", description = "topic for alerts (default ${DEFAULT-VALUE})") String topic;
        @Option(names = "--alert-journal", paramLabel = "FILE", defaultValue = "vgate-alerts.journal",
                description = "with --mqtt: alerts not yet acknowledged by the broker, sent again on the next run (default ${DEFAULT-VALUE})") Path journal;
        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "stop after this long (ISO-8601 like PT30S, or 30s); default: until interrupted") Duration duration;

        @Override public Integer call() throws Exception {
            DbcDatabase db = in.database();
            RuleSet set;
            AlertJournal alertJournal = null;
            try {
                set = in.rules == null ? RuleSet.defaults(RuleDbc.of(db)) : RuleSet.load(in.rules, RuleDbc.of(db));
                if (mqtt != null) alertJournal = AlertJournal.open(journal);
            } catch (RulesException e) {
                System.err.println("vgate rules run: " + e.getMessage());
                return VgateCommand.EXIT_REJECTED;
            }
            Consumer<String> print = line -> {
                System.out.println(line);
                System.out.flush();
            };
            PahoMqttLink link = null;
            AutoCloseable alerts;
            AlertSink sink;
            if (mqtt != null) {
                link = new PahoMqttLink(MqttSettings.of(mqtt, "vgate-rules-" + ProcessHandle.current().pid())).start();
                AlertOutbox outbox = new AlertOutbox(alertJournal, link, topic, Duration.ofSeconds(5), print);
                alerts = outbox;
                sink = outbox;
            } else {
                AlertPrinter printer = new AlertPrinter(print);
                alerts = printer;
                sink = printer;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "rules-run-shutdown");
            try (alerts; CanChannel ch = SocketCanChannel.open(iface, SocketCanConfig.defaults());
                 LiveRules live = new LiveRules(ch, db, set, sink, TickingEvaluator.epochClock())) {
                Runtime.getRuntime().addShutdownHook(hook);
                live.start();
                System.err.println("# rules running on " + iface + " (" + set.rules().size() + " rules)");
                if (duration == null) stop.await();
                else stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                if (link != null) link.close();
            }
            return 0;
        }
    }

    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Print the built-in default rule set (written against the demo DBC), to copy and adapt.")
    static final class Defaults implements Callable<Integer> {
        @Override public Integer call() {
            System.out.print(RuleSet.defaultRulesText());
            return 0;
        }
    }
}
