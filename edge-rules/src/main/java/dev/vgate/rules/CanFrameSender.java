package dev.vgate.rules;

import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;

/**
 * Where CAN actions go: the daemon wires the CAN channel's send ({@code channel::send}). The frame is only
 * valid during the call.
 */
@FunctionalInterface
public interface CanFrameSender {
    void send(CanFrame frame) throws CanException;
}
