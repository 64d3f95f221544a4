package dev.vgate.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, each naming the field path
 * ({@code buses[1].dbc[0]: file not found: /etc/vgate/dbc/body.dbc}), so one run shows them all.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final List<String> problems;

    public ConfigException(Path file, List<String> problems) {
        super(render(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public ConfigException(Path file, String problem, Throwable cause) {
        super(render(file, List.of(problem)), cause);
        this.file = file;
        this.problems = List.of(problem);
    }

    /** The configuration file, or null for a configuration built in code. */
    public Path file() {
        return file;
    }

    /** One line per problem, each starting with the field path. */
    public List<String> problems() {
        return problems;
    }

    private static String render(Path file, List<String> problems) {
        String where = file == null ? "configuration" : "configuration " + file;
        if (problems.size() == 1) return "invalid " + where + ": " + problems.get(0);
        StringBuilder sb = new StringBuilder("invalid ").append(where).append(" (")
                .append(problems.size()).append(" problems):");
        for (String p : problems) sb.append("\n  ").append(p);
        return sb.toString();
    }
}
