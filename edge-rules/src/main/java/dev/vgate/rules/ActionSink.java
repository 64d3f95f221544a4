package dev.vgate.rules;

/**
 * Receives rule events on the thread that evaluated the sample. Implementations must not block: send the
 * first CAN frame, hand everything else to queues. {@link ActionDispatcher} is the daemon's implementation.
 */
public interface ActionSink {
    /**
     * @param rule   the rule that fired; its {@link Rule#actions()} are to be executed
     * @param at     the sample time of the event (nanoseconds since the epoch)
     * @param iface  the interface of the frame that triggered it
     * @param values the engine's signal values at that moment (valid during the call only)
     */
    void fired(Rule rule, long at, String iface, SignalValues values);

    /** The rule's condition ended (its clear condition held); {@link Rule#clearActions()} are to be executed. */
    void cleared(Rule rule, long at, String iface, SignalValues values);

    ActionSink NONE = new ActionSink() {
        @Override public void fired(Rule rule, long at, String iface, SignalValues values) {}
        @Override public void cleared(Rule rule, long at, String iface, SignalValues values) {}
    };
}
