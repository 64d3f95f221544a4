package dev.vgate.agent.cli;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.SocketCanChannel;
import dev.vgate.canbus.SocketCanConfig;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.input.BoundedLineReader;
import dev.vgate.mqtt.MqttSettings;
import dev.vgate.mqtt.PahoMqttLink;
import dev.vgate.rules.Action;
import dev.vgate.rules.AlertSink;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.Rule;
import dev.vgate.rules.RuleDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import dev.vgate.rules.RulesReplay;
import dev.vgate.rules.TickingEvaluator;
import dev.vgate.rules.alert.AlertJournal;
import dev.vgate.rules.alert.AlertOutbox;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        subcommands = {RulesCommand.Check.class, RulesCommand.Replay.class, RulesCommand.Run.class, RulesCommand.Defaults.class, RulesCommand.Packs.class})
public final class RulesCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.err); }

    /** Options shared by check and replay. */
    static final class Inputs {
        @Option(names = "--dbc", paramLabel = "[BUS=]FILE",
                description = "DBC file the rules refer to; or BUS=FILE per bus, repeatable (--dbc powertrain=pt.dbc --dbc charging=evse.dbc), "
                        + "as vgate run loads them: names resolve over every bus, bus.Sig qualifies one. In a replay BUS is the candump interface. "
                        + "Required, except for rules run --config (the configuration's buses and DBCs).")
        List<String> dbc;
        @Option(names = "--rules", description = "Rules file (YAML). Default: the built-in default rule set.") Path rules;
        @Option(names = "--rules-memory", paramLabel = "SIZE", defaultValue = "8MiB",
                description = "The rule engine's memory budget, as rules_memory in the daemon's configuration (default ${DEFAULT-VALUE}).")
        String rulesMemory;

        private Map<String, List<DbcDatabase>> buses;
        private DbcDatabase single;

        /** Loads the DBCs once: one plain FILE, or BUS=FILE entries (several per bus allowed; a file is parsed once). */
        void loadDbcs() throws DbcException {
            if (single != null || buses != null) return;
            if (dbc == null) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "Missing required option: '--dbc=[BUS=]FILE'");
            boolean qualified = dbc.get(0).contains("=");
            Map<Path, DbcDatabase> byFile = new HashMap<>();
            Map<String, List<DbcDatabase>> out = new LinkedHashMap<>();
            for (String d : dbc) {
                int eq = d.indexOf('=');
                if ((eq > 0) != qualified) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--dbc: give one FILE, or BUS=FILE for every DBC, not both (got '" + d + "')");
                if (!qualified && dbc.size() > 1) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--dbc: several DBCs need their bus: BUS=FILE");
                Path file = Path.of(qualified ? d.substring(eq + 1) : d);
                DbcDatabase db = byFile.get(file);
                if (db == null) byFile.put(file, db = DbcDatabase.load(file));
                if (!qualified) single = db;
                else out.computeIfAbsent(d.substring(0, eq), k -> new ArrayList<>()).add(db);
            }
            if (qualified) buses = out;
        }

        RuleDbc ruleDbc() throws DbcException {
            loadDbcs();
            return single != null ? RuleDbc.of(single) : MultiBusDbc.of(buses);
        }

        RuleSet load() throws DbcException, RulesException {
            RuleDbc db = ruleDbc();
            if (rules == null) return RuleSet.defaults(db);
            return RuleSet.load(rules, db, budget());
        }

        /** --rules-memory in bytes. */
        long budget() throws RulesException {
            try {
                return dev.vgate.agent.config.ConfigValues.parseSize(rulesMemory);
            } catch (IllegalArgumentException e) {
                throw new RulesException("--rules-memory: " + e.getMessage());
            }
        }

        RulesReplay replay(RuleSet set) throws DbcException {
            loadDbcs();
            return single != null ? new RulesReplay(set, single.newDecoder()) : new RulesReplay(set, buses);
        }

        String describeDbcs() { return String.join(", ", dbc); }

        DbcDatabase database() throws DbcException {
            loadDbcs();
            if (single == null) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--dbc: rules run takes one DBC FILE");
            return single;
        }
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
            out.println(set.source() + ": " + set.rules().size() + " rules valid against " + in.describeDbcs() + "; engine memory "
                    + set.memoryBytes() + " bytes");
            for (dev.vgate.rules.Counter c : set.counters()) out.println("  counter " + c.name() + ": " + c.kind().name().toLowerCase().replace('_', '-'));
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
            RuleSet set;
            try {
                set = in.load();
            } catch (RulesException e) {
                System.err.println("vgate rules replay: " + e.getMessage());
                return VgateCommand.EXIT_REJECTED;
            }
            // lines are bounded: one endless line (no newline) must not take the heap (docs/security.md#limits)
            BufferedReader reader = BoundedLineReader.utf8(System.in, "stdin", BoundedLineReader.DEFAULT_MAX_LINE);
            PrintStream out = System.out;
            RulesReplay.Summary s;
            try {
                s = in.replay(set).run(reader, out::println);
            } finally { // the events before a refused line are kept
                out.flush();
            }
            System.err.println("vgate rules replay: " + s.frames() + " frames (" + s.decoded() + " decoded), "
                    + s.events() + " events" + (s.badLines() > 0 ? ", " + s.badLines() + " bad lines skipped" : ""));
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the rules live: CAN actions are sent on the bus, alerts printed as JSON lines and, with "
                    + "--mqtt, published with QoS 1 and kept in --alert-journal until the broker acknowledges them. "
                    + "For bench tests of a rules file; the daemon runs rules as part of the agent.",
                    "With --iface and --dbc: the rules on one SocketCAN interface.",
                    "With --config: the rules as vgate run runs them, on every configured bus with its own DBCs (a rule may "
                    + "read any bus, Bus.Message.Signal qualifies a name). The buses are opened as configured, or replayed "
                    + "from candump -L logs with --log: '--log FILE' plays each bus the log's lines of the bus's interface, "
                    + "'--log BUS=FILE' plays that bus a log of its own. A run whose buses all replay a log once stops when "
                    + "every log has played.",
                    "Writes '# rules running on ...' to stderr once receiving."})
    static final class Run implements Callable<Integer> {
        @picocli.CommandLine.Mixin Inputs in = new Inputs();
        @Option(names = "--iface", description = "CAN interface, e.g. can0 or vcan0 (without --config)") String iface;
        @Option(names = "--mqtt", paramLabel = "URL", description = "broker to publish alerts to, e.g. tcp://127.0.0.1:1883") String mqtt;
        @Option(names = "--alert-topic", defaultValue = "vgate/alerts", description = "topic for alerts (default ${DEFAULT-VALUE})") String topic;
        @Option(names = "--alert-journal", paramLabel = "FILE", defaultValue = "vgate-alerts.journal",
                description = "with --mqtt: alerts not yet acknowledged by the broker, sent again on the next run (default ${DEFAULT-VALUE})") Path journal;
        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "stop after this long (ISO-8601 like PT30S, or 30s); default: until interrupted, or until every replayed log has played") Duration duration;
        @Option(names = "--config", paramLabel = "FILE",
                description = "the vgate configuration: its buses, their DBCs, its rules file (unless --rules is given) and its "
                        + "rules_memory budget, loaded as vgate run and vgate config check load them") Path config;
        @Option(names = "--log", paramLabel = "[BUS=]FILE",
                description = "with --config: replay a candump -L log instead of opening the configured buses; FILE feeds every "
                        + "bus the lines of its interface, BUS=FILE (repeatable, one per bus) feeds one bus all of a log's lines") List<String> logs;
        @Option(names = "--speed", defaultValue = "1",
                description = "with --log: 1 replays in real time, 10 ten times as fast (default ${DEFAULT-VALUE})") double speed;

        @Override public Integer call() throws Exception {
            if (config != null) return runConfigured();
            if (iface == null) throw usage("Missing required option: '--iface=<iface>' (or --config FILE)");
            if (logs != null) throw usage("--log needs --config (the buses it replays come from the configuration)");
            DbcDatabase db = in.database();
            RuleSet set;
            AlertJournal alertJournal = null;
            try {
                // the daemon's loader: a file vgate run refuses is refused with the same line
                set = in.rules == null ? RuleSet.defaults(RuleDbc.of(db))
                        : dev.vgate.agent.daemon.ConfiguredRules.load(in.rules, RuleDbc.of(db), in.budget());
                if (mqtt != null) alertJournal = AlertJournal.open(journal);
            } catch (RulesException e) {
                System.err.println("vgate rules run: " + e.getMessage());
                return VgateCommand.EXIT_REJECTED;
            } catch (dev.vgate.agent.daemon.DaemonException e) {
                e.problems().forEach(p -> System.err.println("vgate rules run: " + p));
                return VgateCommand.EXIT_REJECTED;
            }
            CountDownLatch stop = new CountDownLatch(1);
            try (Alerts alerts = alerts(alertJournal); CanChannel ch = SocketCanChannel.open(iface, SocketCanConfig.defaults());
                 LiveRules live = new LiveRules(ch, db, set, alerts.sink, TickingEvaluator.epochClock())) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "rules-run-shutdown"));
                live.start();
                System.err.println("# rules running on " + iface + " (" + set.rules().size() + " rules)");
                await(stop);
            }
            return 0;
        }

        /** The daemon's rules assembly on the configured (or replayed) buses. */
        private int runConfigured() throws Exception {
            if (iface != null || in.dbc != null) {
                throw usage("--config takes its buses and DBCs from the configuration: drop --iface and --dbc (replay logs with --log)");
            }
            VgateConfig c;
            dev.vgate.agent.daemon.DaemonInputs inputs;
            RuleSet set;
            AlertJournal alertJournal = null;
            try {
                c = ConfiguredRun.config(ConfigLoader.load(config), in.rules, logs, speed); // validated, as vgate run
                // everything vgate run loads before it starts, the rules once, with the budget they share with the
                // telemetry collectors' pre-trigger rings: a configuration vgate run (and config check) refuses is refused here
                inputs = dev.vgate.agent.daemon.DaemonInputs.load(c, w -> { });
                set = inputs.ruleSet() != null ? inputs.ruleSet() : RuleSet.defaults(MultiBusDbc.of(inputs.busDbcs()));
                if (mqtt != null) alertJournal = AlertJournal.open(journal);
            } catch (RulesException e) {
                System.err.println("vgate rules run: " + e.getMessage());
                return VgateCommand.EXIT_REJECTED;
            } catch (dev.vgate.agent.daemon.DaemonException e) { // the rules as vgate run refuses them, the same line
                e.problems().forEach(p -> System.err.println("vgate rules run: " + p));
                return VgateCommand.EXIT_REJECTED;
            } catch (dev.vgate.agent.config.ConfigException e) {
                e.problems().forEach(p -> System.err.println("vgate rules run: " + config + ": " + p));
                return VgateCommand.EXIT_REJECTED;
            }
            CountDownLatch stop = new CountDownLatch(1);
            try (Alerts alerts = alerts(alertJournal);
                 dev.vgate.agent.daemon.RulesOnBuses run = new dev.vgate.agent.daemon.RulesOnBuses(c, inputs, set, alerts.sink)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "rules-run-shutdown"));
                run.start();
                System.err.println("# rules running on " + c.buses().stream().map(b -> b.name()).toList() + " (" + run.ruleCount() + " rules)");
                if (run.ends()) {
                    Thread played = new Thread(() -> {
                        try {
                            run.awaitReplays();
                            stop.countDown();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "rules-run-replays");
                    played.setDaemon(true);
                    played.start();
                }
                await(stop);
                System.err.println("# rules run ended: " + run.busStatus());
            }
            return 0;
        }

        private void await(CountDownLatch stop) throws InterruptedException {
            if (duration == null) stop.await();
            else stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }

        private picocli.CommandLine.ParameterException usage(String message) {
            return new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), message);
        }

        /** Where alerts go: printed, or with --mqtt published from the journal (the link closes with it). */
        private Alerts alerts(AlertJournal alertJournal) throws Exception {
            Consumer<String> print = line -> {
                System.out.println(line);
                System.out.flush();
            };
            if (mqtt == null) {
                AlertPrinter printer = new AlertPrinter(print);
                return new Alerts(printer, printer, null);
            }
            PahoMqttLink link = new PahoMqttLink(MqttSettings.of(mqtt, "vgate-rules-" + ProcessHandle.current().pid())).start();
            AlertOutbox outbox = new AlertOutbox(alertJournal, link, topic, Duration.ofSeconds(5), print);
            return new Alerts(outbox, outbox, link);
        }

        /** The alert sink and what closes with it. */
        private record Alerts(AlertSink sink, AutoCloseable closer, PahoMqttLink link) implements AutoCloseable {
            @Override public void close() throws Exception {
                try {
                    closer.close();
                } finally {
                    if (link != null) link.close();
                }
            }
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

    @Command(name = "packs", mixinStandardHelpOptions = true,
            description = "List the shipped rule packs, or print one (enable packs in a rules file with 'packs: [NAME, ...]').")
    static final class Packs implements Callable<Integer> {
        @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "NAME") String name;

        @Override public Integer call() {
            if (name == null) {
                RuleSet.PACKS.forEach(System.out::println);
                return 0;
            }
            String text = RuleSet.packText(name);
            if (text == null) {
                System.err.println("vgate rules packs: unknown pack '" + name + "' (shipped: " + String.join(", ", RuleSet.PACKS) + ")");
                return VgateCommand.EXIT_REJECTED;
            }
            System.out.print(text);
            return 0;
        }
    }
}
