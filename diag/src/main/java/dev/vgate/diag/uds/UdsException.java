package dev.vgate.diag.uds;

import java.util.Locale;

/** A UDS request that got no positive answer: a negative response ({@link #nrc()} >= 0), silence, or a transport failure. */
public final class UdsException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind { NEGATIVE_RESPONSE, NO_RESPONSE, TRANSPORT, INVALID_RESPONSE }

    private final Kind kind;
    private final int serviceId;
    private final int nrc;

    public UdsException(Kind kind, int serviceId, int nrc, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.serviceId = serviceId;
        this.nrc = nrc;
    }

    static UdsException negative(int sid, int nrc) {
        return new UdsException(Kind.NEGATIVE_RESPONSE, sid, nrc, String.format(Locale.ROOT,
                "negative response to service 0x%02X: %s (NRC 0x%02X)", sid, NegativeResponse.name(nrc), nrc), null);
    }

    public Kind kind() { return kind; }

    public int serviceId() { return serviceId; }

    /** The negative response code, -1 unless {@link Kind#NEGATIVE_RESPONSE}. */
    public int nrc() { return nrc; }

    /** The NRC's name (negative responses), else null. */
    public String nrcName() { return nrc < 0 ? null : NegativeResponse.name(nrc); }
}
