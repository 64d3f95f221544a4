package dev.vgate.diag.isotp;

import java.time.Duration;

/**
 * One ISO-TP (ISO 15765-2) connection: whole messages of up to 4095 bytes (more with the escape length)
 * in, whole messages out; segmentation, flow control and timing underneath. Two implementations: the
 * kernel's {@code CAN_ISOTP} socket ({@link KernelIsoTpTransport}) and the same state machine in Java
 * over any {@link dev.vgate.canbus.CanChannel} ({@link ChannelIsoTpTransport}: virtual buses, tests).
 * One thread may send while another receives.
 */
public interface IsoTpTransport extends AutoCloseable {

    IsoTpAddress address();

    /** Sends one message; returns when its last frame is on the bus. */
    void send(byte[] message) throws IsoTpException;

    /**
     * The next received message, waiting up to {@code timeout}; null when none arrived in time. A failed
     * reception (wrong sequence number, missing consecutive frame, ...) is thrown here, once.
     */
    byte[] receive(Duration timeout) throws IsoTpException;

    /** Drops messages received but not yet read (a late answer to an earlier request). */
    void discardPending() throws IsoTpException;

    @Override void close();
}
