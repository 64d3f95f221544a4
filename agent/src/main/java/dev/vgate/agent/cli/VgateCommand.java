package dev.vgate.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The root {@code vgate} command. Each command group lives in its own class, listed here. */
@Command(name = "vgate",
        mixinStandardHelpOptions = true,
        versionProvider = VgateCommand.Version.class,
        description = "In-vehicle gateway agent: CAN, DBC, edge rules, telemetry, signed commands, OTA.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ConfigCommand.class,
                RunCommand.class,
                StatusCommand.class,
                DbcCommand.class,
                RulesCommand.class,
                TelemetryCommand.class,
                KeysCommand.class,
                CmdCommand.class,
                CanCommand.class,
                DiagCommand.class,
                OtaCommand.class,
        })
public final class VgateCommand implements Runnable {
    /** Exit code for a rejection that is the expected answer (a refused command, a failed check). */
    public static final int EXIT_REJECTED = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return withErrorHandler(new CommandLine(new VgateCommand()));
    }

    /** Prints a command's error as one line (the demo's launcher, demo/, uses it too). */
    public static CommandLine withErrorHandler(CommandLine cl) {
        cl.setExecutionExceptionHandler(VgateCommand::handleError);
        return cl;
    }

    /**
     * {@code vgate run} alone: the same command under the same root name, without building the other commands.
     * Building the whole tree (picocli reflects over every command class) was ~0.45 s of the daemon's start-up
     * on the development machine, more than the JVM's own start.
     */
    public static CommandLine daemonCommandLine() {
        CommandLine cl = new CommandLine(new DaemonOnly());
        cl.setExecutionExceptionHandler(VgateCommand::handleError);
        return cl;
    }

    @Command(name = "vgate", mixinStandardHelpOptions = true, versionProvider = VgateCommand.Version.class,
            subcommands = {RunCommand.class})
    static final class DaemonOnly implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }
    }

    /**
     * Errors a user can act on are printed as one line, not a stack trace, and without Java class names
     * (exit 1; docs/security.md#exit-codes). VGATE_DEBUG=1 adds the trace.
     */
    private static int handleError(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        // several problems found together: one line each, naming the input
        if (e instanceof dev.vgate.agent.config.ConfigException c && c.problems().size() > 1) {
            for (String p : c.problems()) err.println(name + ": " + (c.file() == null ? "" : c.file() + ": ") + dev.vgate.input.ErrorText.clean(p));
        } else if (e instanceof dev.vgate.agent.daemon.DaemonException d && d.problems().size() > 1) {
            for (String p : d.problems()) err.println(name + ": " + dev.vgate.input.ErrorText.clean(p));
        } else {
            err.println(name + ": " + dev.vgate.input.ErrorText.of(e));
        }
        if (System.getenv("VGATE_DEBUG") != null) e.printStackTrace(err);
        err.flush();
        return 1;
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = VgateCommand.class.getPackage().getImplementationVersion();
            return new String[] {"vgate " + (v == null ? "dev" : v)};
        }
    }
}
