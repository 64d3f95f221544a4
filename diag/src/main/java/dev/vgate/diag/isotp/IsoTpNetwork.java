package dev.vgate.diag.isotp;

/** Opens ISO-TP connections on one CAN interface (kernel sockets, or the Java state machine on a channel). */
public interface IsoTpNetwork {

    /** The interface name, for messages. */
    String name();

    IsoTpTransport open(IsoTpAddress address, IsoTpOptions options) throws IsoTpException;
}
