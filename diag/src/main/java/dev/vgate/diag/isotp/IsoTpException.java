package dev.vgate.diag.isotp;

/** An ISO-TP transfer failed; {@link #kind()} says how, the message says it in words with the numbers. */
public final class IsoTpException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The failure classes of ISO 15765-2 (N_Result) and of the socket underneath. */
    public enum Kind {
        /** N_TIMEOUT_Bs: no flow control arrived after a first frame or a block. */
        TIMEOUT_BS,
        /** N_TIMEOUT_Cr: a consecutive frame did not arrive in time. */
        TIMEOUT_CR,
        /** N_WRONG_SN: a consecutive frame with the wrong sequence number. */
        WRONG_SN,
        /** N_BUFFER_OVFLW: the receiver refused the length, or an incoming message exceeds ours. */
        OVERFLOW,
        /** N_WFT_OVRN: more WAIT flow controls than allowed. */
        WAIT_LIMIT,
        /** A frame that breaks the protocol (bad PCI, truncated, invalid flow status). */
        MALFORMED,
        /** A message too long (or empty) to send. */
        BAD_LENGTH,
        /** The CAN interface or socket failed. */
        IO,
        /** The connection is closed. */
        CLOSED
    }

    private final Kind kind;

    public IsoTpException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public IsoTpException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
