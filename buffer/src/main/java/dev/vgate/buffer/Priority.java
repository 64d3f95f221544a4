package dev.vgate.buffer;

/** Upload priority of a signal. The numeric code is what the store and the wire use. */
public enum Priority {
    /** Committed before append returns, published at once on its own topic, never evicted. */
    ALERT(1),
    NORMAL(2),
    /** Evicted first under the disk quota; published with a message expiry. */
    BULK(3),
    /**
     * Event captures (a rule's {@code capture} action: full rate around a trigger, with the event's id):
     * published before normal telemetry, evicted under the disk quota only once no bulk or normal data is left.
     */
    CAPTURE(4);

    private final int code;

    Priority(int code) { this.code = code; }

    public int code() { return code; }

    public static Priority ofCode(int code) {
        switch (code) {
            case 1: return ALERT;
            case 2: return NORMAL;
            case 3: return BULK;
            case 4: return CAPTURE;
            default: throw new IllegalArgumentException("unknown priority code " + code);
        }
    }
}
