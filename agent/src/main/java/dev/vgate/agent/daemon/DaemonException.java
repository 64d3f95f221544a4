package dev.vgate.agent.daemon;

/** The daemon cannot be built from its configuration (a DBC that does not load, say). */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message, Throwable cause) { super(message, cause); }
}
