package dev.vgate.agent.command.exec;

import dev.vgate.canbus.CanFrame;

import java.io.IOException;

/** Where CAN-level commands put their frames (a CAN channel or a virtual bus); may copy the frame. */
@FunctionalInterface
public interface CommandFrameSink {
    void send(CanFrame frame) throws IOException;
}
