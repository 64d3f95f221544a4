package dev.vgate.demo;

import dev.vgate.agent.cli.VgateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of vgate-demo.jar ({@code ./vgate demo}): the demo under the same root name as the product's
 * commands, in its own jar so that its embedded broker (Moquette, Netty) stays out of vgate.jar.
 */
@Command(name = "vgate", mixinStandardHelpOptions = true, versionProvider = VgateCommand.Version.class,
        subcommands = {DemoCommand.class})
public final class DemoMain implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return VgateCommand.withErrorHandler(new CommandLine(new DemoMain()));
    }
}
