package dev.vgate.agent.daemon;

import java.util.Map;

/**
 * One part of the daemon (a CAN bus, the MQTT link, the uploader, the command listener, ...). The
 * {@link Supervisor} starts services in order and stops them in reverse; a service whose start fails is
 * retried with backoff while the others run, so a missing bus or a dead broker degrades vgate instead
 * of killing it.
 */
public interface Service {
    String name();

    /** Brings the service up. Throwing means "not up yet": the supervisor logs it and retries later. */
    void start() throws Exception;

    /** Stops the service; must return within a few seconds and must not throw. */
    void stop();

    /** Counters and state for the status report (small values: numbers, strings, booleans). */
    default Map<String, Object> status() { return Map.of(); }

    /** Whether the service currently works (a started bus whose link is down is started but not healthy). */
    default boolean healthy() { return true; }

    /** False only for the stand-in of a part the configuration leaves out ({@link OptionalPart#absent}): not supervised. */
    default boolean present() { return true; }
}
