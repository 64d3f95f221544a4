package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigException;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.agent.daemon.DaemonException;
import dev.vgate.agent.daemon.DaemonInputs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
            // exactly what `vgate run` loads before it starts (DaemonInputs), not a copy of it
            List<String> problems = List.of();
            try {
                DaemonInputs.load(c, err::println);
            } catch (DaemonException e) {
                problems = e.problems();
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
    }
}
