package dev.vgate.canbus;

import java.time.Duration;

/**
 * How a {@link SocketCanChannel} sets up its socket.
 *
 * @param filter the ids to receive (kernel filters)
 * @param fd receive and allow sending CAN FD frames
 * @param receiveBufferBytes SO_RCVBUF to ask for, so bursts survive a slow moment of the receive thread
 *     (the kernel caps it at net.core.rmem_max; the effective size is logged)
 * @param errorFrames ask the kernel for error frames and report them as events
 * @param reopenMin first wait before reopening after a link problem
 * @param reopenMax longest wait between reopen attempts (the wait doubles up to it)
 */
public record SocketCanConfig(CanIdFilter filter, boolean fd, int receiveBufferBytes, boolean errorFrames,
                              Duration reopenMin, Duration reopenMax) {

    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

    public SocketCanConfig {
        if (filter == null) throw new IllegalArgumentException("filter must be given (CanIdFilter.ALL for all ids)");
        if (receiveBufferBytes < 4096) throw new IllegalArgumentException("receiveBufferBytes " + receiveBufferBytes + " below 4096");
        if (reopenMin == null || reopenMax == null || reopenMin.isNegative() || reopenMin.isZero() || reopenMax.compareTo(reopenMin) < 0) {
            throw new IllegalArgumentException("reopen backoff must satisfy 0 < reopenMin <= reopenMax, got " + reopenMin + " and " + reopenMax);
        }
    }

    /** All ids, CAN FD on, 4 MiB receive buffer, error frames, reopen after 100 ms backing off to 5 s. */
    public static SocketCanConfig defaults() {
        return new SocketCanConfig(CanIdFilter.ALL, true, DEFAULT_RECEIVE_BUFFER, true, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public SocketCanConfig withFilter(CanIdFilter f) { return new SocketCanConfig(f, fd, receiveBufferBytes, errorFrames, reopenMin, reopenMax); }

    public SocketCanConfig withReceiveBuffer(int bytes) { return new SocketCanConfig(filter, fd, bytes, errorFrames, reopenMin, reopenMax); }
}
