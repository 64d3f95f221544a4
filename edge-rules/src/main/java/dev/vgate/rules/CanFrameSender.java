package dev.vgate.rules;

import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;

/**
 * Where CAN actions go: {@code vgate rules run} wires its channel's send ({@code channel::send}); the daemon
 * overrides {@link #send(String, CanFrame)} to pick the bus. The frame is only valid during the call.
 */
@FunctionalInterface
public interface CanFrameSender {
    void send(CanFrame frame) throws CanException;

    /**
     * Sends on the named bus (the bus whose DBC defines the action's message; null when the rule set has one
     * bus). A single-bus sender ignores the name.
     */
    default void send(String bus, CanFrame frame) throws CanException { send(frame); }
}
