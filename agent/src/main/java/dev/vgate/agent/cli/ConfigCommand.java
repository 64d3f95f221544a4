package dev.vgate.agent.cli;

import dev.vgate.agent.config.ConfigException;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
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
            description = "Validate a configuration file exactly as `vgate run` would, and print the effective"
                    + " configuration (secrets masked). Exit 0 when valid, 2 with every problem when not.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}")
        Path config = VgateConfig.DEFAULT_FILE;

        @Override public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                VgateConfig c = ConfigLoader.load(config);
                c.describe().forEach(out::println);
                out.flush();
                return 0;
            } catch (ConfigException e) {
                err.println("vgate config check: " + e.getMessage());
                err.flush();
                return VgateCommand.EXIT_REJECTED;
            }
        }
    }
}
