package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigException;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.trust.DeviceTrust;
import dev.vgate.trust.TrustException;
import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;
import dev.vgate.dbc.DbcWarning;
import dev.vgate.rules.MultiBusDbc;
import dev.vgate.rules.RuleSet;
import dev.vgate.rules.RulesException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code vgate config ...}: tools for the daemon's configuration file. */
@Command(name = "config",
        description = "Check the daemon's configuration file (docs/configuration.md).",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check",
            description = "Validate a configuration file exactly as `vgate run` would, parse every DBC file it"
                    + " names, load the rules file against them, and print the effective configuration (secrets masked). Exit 0 when valid, 2 with"
                    + " every problem when not.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}")
        Path config = VgateConfig.DEFAULT_FILE;

        @Override public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            VgateConfig c;
            try {
                c = ConfigLoader.load(config);
            } catch (ConfigException e) {
                err.println("vgate config check: " + e.getMessage());
                err.flush();
                return VgateCommand.EXIT_REJECTED;
            }
            Map<String, List<DbcDatabase>> busDbcs = new LinkedHashMap<>();
            List<String> problems = checkDbcFiles(c, busDbcs, err);
            // the trust file, loaded as `vgate run` loads it (format, roles, root section, distinct keys)
            if (DeviceTrust.file(c).isPresent()) {
                try {
                    DeviceTrust.load(c);
                } catch (TrustException e) {
                    problems.add("trust " + DeviceTrust.file(c).get() + ": " + e.getMessage());
                }
            }
            // the rules against every bus's DBCs, as `vgate run` loads them (it refuses to start without them)
            if (problems.isEmpty() && c.rules() != null) {
                try {
                    RuleSet.load(c.rules(), MultiBusDbc.of(busDbcs));
                } catch (RulesException | RuntimeException e) {
                    problems.add("rules " + c.rules() + ": " + e.getMessage());
                }
            }
            err.flush();
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("vgate config check: " + p));
                err.flush();
                return VgateCommand.EXIT_REJECTED;
            }
            c.describe().forEach(out::println);
            out.flush();
            return 0;
        }

        /** Parses each DBC once (a file shared by buses is read once); warnings are printed, errors returned. */
        private static List<String> checkDbcFiles(VgateConfig c, Map<String, List<DbcDatabase>> busDbcs, PrintWriter err) {
            List<String> problems = new ArrayList<>();
            Map<Path, DbcDatabase> loaded = new HashMap<>();
            Set<Path> failed = new HashSet<>();
            for (int i = 0; i < c.buses().size(); i++) {
                List<DbcDatabase> dbs = new ArrayList<>();
                for (Path dbc : c.buses().get(i).dbc()) {
                    if (failed.contains(dbc)) continue;
                    DbcDatabase db = loaded.get(dbc);
                    if (db == null) {
                        try {
                            db = DbcDatabase.load(dbc);
                        } catch (DbcException e) {
                            problems.add("buses[" + i + "].dbc: " + e.getMessage());
                            failed.add(dbc);
                            continue;
                        }
                        for (DbcWarning w : db.warnings()) err.println(w);
                        loaded.put(dbc, db);
                    }
                    dbs.add(db);
                }
                busDbcs.put(c.buses().get(i).name(), dbs);
            }
            return problems;
        }
    }
}
