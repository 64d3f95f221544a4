package dev.vgate.command.exec;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;

import java.io.IOException;

/** Where CAN-level commands put their frames (a CAN channel or a virtual bus); may copy the frame. */
@FunctionalInterface
public interface CommandFrameSink {
    void send(CanFrame frame) throws IOException;

    /** Sends on an open channel (SocketCAN or a virtual bus); a channel error fails the command with CAN_SEND_FAILED. */
    static CommandFrameSink to(CanChannel channel) {
        return frame -> {
            try {
                channel.send(frame);
            } catch (CanException e) {
                throw new IOException(channel.name() + ": " + e.getMessage(), e);
            }
        };
    }
}
