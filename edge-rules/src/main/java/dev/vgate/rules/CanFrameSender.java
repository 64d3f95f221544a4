package dev.vgate.rules;

import dev.vgate.canbus.CanFrame;

import java.io.IOException;

/** Where CAN actions go: the daemon wires the CAN channel's send. The frame is only valid during the call. */
@FunctionalInterface
public interface CanFrameSender {
    void send(CanFrame frame) throws IOException;
}
