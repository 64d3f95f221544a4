package dev.vgate.agent;

import dev.vgate.agent.cli.VgateCommand;
import picocli.CommandLine;

/** Entry point of vgate.jar: the daemon and every command-line tool are subcommands of {@code vgate}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("run")) return VgateCommand.daemonCommandLine().execute(args); // start-up time
        return VgateCommand.commandLine().execute(args);
    }
}
