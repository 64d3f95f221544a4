package dev.vgate.canbus;

import org.tinylog.Logger;

/**
 * Something that happened on a channel besides a frame: a controller error state decoded from an error
 * frame, a link change, or frames lost.
 *
 * @param iface the channel's interface name
 * @param type what happened
 * @param count how many (frames dropped for {@link Type#DROPS}, else 1)
 * @param detail human-readable details (error frame bits, errno), never null
 */
public record CanEvent(String iface, Type type, long count, String detail) {

    public enum Type {
        /** The controller went bus-off: it sends and receives nothing until restarted. */
        BUS_OFF(true),
        /** The controller's error counters passed 127: it may no longer send active error flags. */
        ERROR_PASSIVE(true),
        /** The controller's error counters passed 96. */
        ERROR_WARNING(true),
        /** The controller is error-active again. */
        ERROR_ACTIVE(false),
        /** Other controller problems: overflows, protocol, transceiver, lost arbitration, missing ACK. */
        CONTROLLER_PROBLEM(true),
        /** The controller was restarted after bus-off. */
        RESTARTED(false),
        /** The interface went down; the channel waits for it to come back. */
        LINK_DOWN(true),
        /** The interface disappeared; the channel waits for it to be created again. */
        LINK_REMOVED(true),
        /** The channel is receiving again after a link problem. */
        REOPENED(false),
        /** The kernel dropped frames because the socket's receive buffer was full. */
        DROPS(true),
        /** Receiving failed in an unexpected way; the channel reopens. */
        RECEIVE_FAILED(true);

        private final boolean problem;

        Type(boolean problem) { this.problem = problem; }

        public boolean isProblem() { return problem; }
    }

    public CanEvent {
        if (detail == null) detail = "";
    }

    static CanEvent of(String iface, Type type, String detail) { return new CanEvent(iface, type, 1, detail); }

    void log() {
        String msg = iface + ": " + type + (type == Type.DROPS ? " (" + count + " frames)" : "") + (detail.isEmpty() ? "" : ": " + detail);
        if (type.isProblem()) Logger.warn(msg);
        else Logger.info(msg);
    }

    @Override public String toString() {
        return iface + " " + type + (count != 1 ? " x" + count : "") + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
