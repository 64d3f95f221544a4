package dev.vgate.canbus;

import java.util.Arrays;
import java.util.Collection;

/**
 * Which frame ids a channel receives: all, or an exact list of 11-bit and 29-bit ids (typically the
 * DBC's messages). {@link SocketCanChannel} hands the list to the kernel (CAN_RAW_FILTER), so frames
 * nobody decodes never reach Java; {@link VirtualBus} applies it itself.
 */
public final class CanIdFilter {
    /** The kernel takes at most this many filters per socket (javacan's CanSocketOptions.MAX_FILTERS). */
    static final int KERNEL_MAX_FILTERS = 512;
    static final int EFF_FLAG = 0x80000000;
    static final int SFF_MASK = 0x7FF;
    static final int EFF_MASK = 0x1FFFFFFF;

    public static final CanIdFilter ALL = new CanIdFilter(new int[0], new int[0], true);

    private final int[] standard; // sorted 11-bit ids
    private final int[] extended; // sorted 29-bit ids
    private final boolean all;

    private CanIdFilter(int[] standard, int[] extended, boolean all) {
        this.standard = standard;
        this.extended = extended;
        this.all = all;
    }

    /** Exactly these 11-bit and 29-bit ids (either array may be empty: then no frames of that kind). */
    public static CanIdFilter of(Collection<Integer> standardIds, Collection<Integer> extendedIds) {
        int[] s = standardIds.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        int[] e = extendedIds.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        for (int id : s) if (id < 0 || id > SFF_MASK) throw new IllegalArgumentException("11-bit CAN id " + Integer.toHexString(id) + " not in 0..7FF");
        for (int id : e) if (id < 0 || id > EFF_MASK) throw new IllegalArgumentException("29-bit CAN id " + Integer.toHexString(id) + " not in 0..1FFFFFFF");
        return new CanIdFilter(s, e, false);
    }

    public boolean acceptsAll() { return all; }

    public boolean accepts(int id, boolean isExtended) {
        if (all) return true;
        return Arrays.binarySearch(isExtended ? extended : standard, id) >= 0;
    }

    public boolean accepts(CanFrame f) { return accepts(f.id(), f.isExtended()); }

    /** The number of exact ids; 0 for {@link #ALL}. */
    public int size() { return standard.length + extended.length; }

    /**
     * The kernel filters as (can_id, can_mask) pairs, or null when the kernel should pass everything:
     * for {@link #ALL}, and for lists longer than the kernel takes (then Java filters).
     */
    int[][] kernelFilters() {
        if (all || size() > KERNEL_MAX_FILTERS) return null;
        int[][] out = new int[size()][];
        int k = 0;
        // the EFF flag in the mask keeps 11-bit filters from matching 29-bit frames with the same low bits
        for (int id : standard) out[k++] = new int[] {id, SFF_MASK | EFF_FLAG};
        for (int id : extended) out[k++] = new int[] {id | EFF_FLAG, EFF_MASK | EFF_FLAG};
        return out;
    }

    @Override public String toString() {
        return all ? "all ids" : size() + " ids (" + standard.length + " 11-bit, " + extended.length + " 29-bit)";
    }
}
