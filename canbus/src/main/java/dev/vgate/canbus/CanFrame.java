package dev.vgate.canbus;

import java.util.Arrays;

/**
 * One CAN or CAN FD frame. Mutable and reusable on purpose: a receive loop fills one instance per
 * frame so that the hot path allocates nothing. A handler that wants to keep a frame beyond its
 * callback must {@link #copy()} it.
 */
public final class CanFrame {
    public static final int MAX_CLASSIC_DATA = 8;
    public static final int MAX_FD_DATA = 64;

    /** 29-bit identifier (the kernel's CAN_EFF_FLAG). */
    public static final int FLAG_EXTENDED = 1;
    /** Remote transmission request (classic CAN only). */
    public static final int FLAG_RTR = 1 << 1;
    /** Error frame reported by the controller (the kernel's CAN_ERR_FLAG); the id holds the error class. */
    public static final int FLAG_ERROR = 1 << 2;
    /** CAN FD frame. */
    public static final int FLAG_FD = 1 << 3;
    /** CAN FD bit rate switch. */
    public static final int FLAG_BRS = 1 << 4;
    /** CAN FD error state indicator. */
    public static final int FLAG_ESI = 1 << 5;
    /** The kernel's CANFD_FDF bit was set on this FD frame (Linux 6.x sets it); kept so logs round-trip exactly. */
    public static final int FLAG_FDF = 1 << 6;

    private int id;
    private int flags;
    private final byte[] data = new byte[MAX_FD_DATA];
    private int length;
    private long timestampNanos;
    private String iface = "";

    public int id() { return id; }
    public int flags() { return flags; }
    public boolean isExtended() { return (flags & FLAG_EXTENDED) != 0; }
    public boolean isRemote() { return (flags & FLAG_RTR) != 0; }
    public boolean isError() { return (flags & FLAG_ERROR) != 0; }
    public boolean isFd() { return (flags & FLAG_FD) != 0; }
    /** The backing array (64 bytes); only the first {@link #length()} bytes are valid. */
    public byte[] data() { return data; }
    public int length() { return length; }
    /** Receive time in nanoseconds since the epoch (the kernel's timestamp for live frames). */
    public long timestampNanos() { return timestampNanos; }
    public String iface() { return iface; }

    public CanFrame id(int id) { this.id = id; return this; }
    public CanFrame flags(int flags) { this.flags = flags; return this; }
    public CanFrame timestampNanos(long t) { this.timestampNanos = t; return this; }
    public CanFrame iface(String iface) { this.iface = iface; return this; }

    /** Sets the payload; {@code len} may be 0..64 (0..8 for classic frames is the caller's business). */
    public CanFrame data(byte[] src, int off, int len) {
        if (len < 0 || len > MAX_FD_DATA) throw new IllegalArgumentException("CAN data length " + len + " not in 0..64");
        System.arraycopy(src, off, data, 0, len);
        if (len < length) Arrays.fill(data, len, length, (byte) 0);
        this.length = len;
        return this;
    }

    public CanFrame data(byte... src) { return data(src, 0, src.length); }

    /** Sets the length without touching the bytes (for RTR frames, or after filling {@link #data()} directly). */
    public CanFrame length(int len) {
        if (len < 0 || len > MAX_FD_DATA) throw new IllegalArgumentException("CAN data length " + len + " not in 0..64");
        this.length = len;
        return this;
    }

    public CanFrame copy() {
        CanFrame c = new CanFrame();
        c.set(this);
        return c;
    }

    public CanFrame set(CanFrame o) {
        this.id = o.id;
        this.flags = o.flags;
        System.arraycopy(o.data, 0, data, 0, MAX_FD_DATA);
        this.length = o.length;
        this.timestampNanos = o.timestampNanos;
        this.iface = o.iface;
        return this;
    }

    public byte[] payload() { return Arrays.copyOf(data, length); }

    @Override public boolean equals(Object o) {
        if (!(o instanceof CanFrame)) return false;
        CanFrame f = (CanFrame) o;
        return id == f.id && flags == f.flags && length == f.length && timestampNanos == f.timestampNanos
                && iface.equals(f.iface) && Arrays.equals(data, 0, length, f.data, 0, length);
    }

    @Override public int hashCode() { return (id * 31 + flags) * 31 + length; }

    /** The candump -L line of this frame. */
    @Override public String toString() { return CandumpFormat.format(this); }
}
