package dev.vgate.agent.daemon;

/** A part of the daemon cannot be built or started (a DBC that does not load, a dependency not up yet). */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message) { super(message); }

    public DaemonException(String message, Throwable cause) { super(message, cause); }
}
