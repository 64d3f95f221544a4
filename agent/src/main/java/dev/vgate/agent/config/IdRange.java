package dev.vgate.agent.config;

/** An inclusive range of CAN identifiers accepted by a bus's receive filter. */
public record IdRange(long from, long to) {
    /** The largest 29-bit extended identifier. */
    public static final long MAX_ID = 0x1FFF_FFFFL;

    public static IdRange single(long id) {
        return new IdRange(id, id);
    }

    public boolean contains(long id) {
        return id >= from && id <= to;
    }

    @Override public String toString() {
        return from == to ? hex(from) : hex(from) + "-" + hex(to);
    }

    private static String hex(long id) {
        return "0x" + Long.toHexString(id).toUpperCase(java.util.Locale.ROOT);
    }
}
