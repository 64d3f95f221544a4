package dev.vgate.agent.daemon;

import java.util.List;

/** A part of the daemon cannot be built or started (a DBC that does not load, a dependency not up yet). */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public DaemonException(String message) { this(message, (Throwable) null); }

    public DaemonException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** Several problems found together (each one line naming its input); the message joins them with "; ". */
    public DaemonException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
