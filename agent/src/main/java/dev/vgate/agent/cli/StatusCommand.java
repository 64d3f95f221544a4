package dev.vgate.agent.cli;

import dev.vgate.agent.daemon.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code vgate status}: prints the running agent's status (the JSON file the daemon refreshes). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the running agent's state (from its status file).")
public final class StatusCommand implements Callable<Integer> {
    public static final Path DEFAULT_STATUS_FILE = Path.of("/run/vgate/status.json");

    @Option(names = "--file", description = "Status file (default: $VGATE_STATUS_FILE or ${DEFAULT-VALUE}).",
            defaultValue = "${env:VGATE_STATUS_FILE:-/run/vgate/status.json}")
    Path file;

    @Option(names = "--max-age", description = "Report the agent as not running when the file is older than this (default ${DEFAULT-VALUE}).",
            defaultValue = "PT30S", converter = DurationConverter.class)
    Duration maxAge;

    @Override public Integer call() throws Exception {
        if (!Files.exists(file)) {
            System.err.println("vgate status: no status file at " + file + " (is the agent running? see --file)");
            return 1;
        }
        Instant written = Files.getLastModifiedTime(file).toInstant();
        Duration age = Duration.between(written, Instant.now());
        System.out.println(new StatusFile(file).read());
        if (age.compareTo(maxAge) > 0) {
            System.err.println("vgate status: the status file is " + age.toSeconds() + " s old: the agent is not running or hung");
            return 1;
        }
        return 0;
    }
}
