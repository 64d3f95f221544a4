package dev.vgate.agent.config;

import dev.vgate.input.Untrusted;

import java.nio.file.Path;
import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, each naming the field path
 * ({@code buses[1].dbc[0]: file not found: /etc/vgate/dbc/body.dbc}), so one run shows them all.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Longest problem line kept: quoted input is cut, a problem never grows with the input. */
    private static final int MAX_PROBLEM_CHARS = 2000;

    private final transient Path file;
    private final List<String> problems;

    public ConfigException(Path file, List<String> problems) {
        this(file, oneLineEach(problems), null);
    }

    public ConfigException(Path file, String problem, Throwable cause) {
        this(file, oneLineEach(List.of(problem)), cause);
    }

    private ConfigException(Path file, List<String> oneLineProblems, Throwable cause) {
        super(render(file, oneLineProblems), cause);
        this.file = file;
        this.problems = oneLineProblems;
    }

    /**
     * Problems quote the file's own text (keys, values), which may hold line breaks or terminal escapes: each
     * is kept to one printable, bounded line here, once, rather than at every place that names a field.
     */
    private static List<String> oneLineEach(List<String> problems) {
        return problems.stream().map(p -> Untrusted.escape(p, MAX_PROBLEM_CHARS)).toList();
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
