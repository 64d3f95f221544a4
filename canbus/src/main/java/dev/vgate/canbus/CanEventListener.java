package dev.vgate.canbus;

/** Receives a channel's events (bus errors, link changes, drops), on the channel's receive thread. */
@FunctionalInterface
public interface CanEventListener {
    void onEvent(CanEvent event);

    /** Logs every event: warnings for problems, info for recoveries. */
    CanEventListener LOG = CanEvent::log;
}
