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
        description = "Print the running agent's state (from its status file, refreshed every 5 s); exit 1 when it is not running.")
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
        String status = new StatusFile(file).read();
        System.out.println(status);
        if (status.contains("\"running\": false")) {
            System.err.println("vgate status: the agent has stopped (its last report, " + age.toSeconds() + " s ago)");
            return 1;
        }
        if (age.compareTo(maxAge) > 0) {
            System.err.println("vgate status: the status file is " + age.toSeconds() + " s old: the agent is not running or hung");
            return 1;
        }
        return 0;
    }
}
