package dev.vgate.dbc.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The bits of one random test frame that signals have taken: the bits every multiplexer group sees (the
 * switch and plain signals) and those of each multiplexed group, which share the bits after the switch.
 * The random-layout property tests (dbc's decoder, buffer's telemetry round trip) place signals with it so
 * that none overlap.
 */
public final class FrameBitMap {
    private final int frameBits;
    private final boolean[] common;
    private final boolean[][] groups;

    public FrameBitMap(int frameBytes, int muxGroups) {
        this.frameBits = frameBytes * 8;
        this.common = new boolean[frameBits];
        this.groups = new boolean[muxGroups][frameBits];
    }

    /**
     * Takes a signal's bits when all of them lie in the frame and are free for its group ({@code muxValue}
     * null: a plain signal, free in every group); returns false, taking nothing, otherwise.
     */
    public boolean tryTake(int start, int length, boolean littleEndian, Long muxValue) {
        List<Integer> pos = positions(start, length, littleEndian);
        if (pos == null || pos.stream().anyMatch(p -> p >= frameBits)) return false;
        boolean[] own = muxValue == null ? common : groups[muxValue.intValue()];
        for (int p : pos) {
            if (common[p] || own[p]) return false;
            if (muxValue == null) for (boolean[] g : groups) if (g[p]) return false;
        }
        for (int p : pos) own[p] = true;
        return true;
    }

    /** Bit positions (byte*8 + bit, bit 0 = LSB of the byte) in the classic DBC walk; null if off the frame start. */
    public static List<Integer> positions(int start, int length, boolean littleEndian) {
        List<Integer> out = new ArrayList<>();
        int pos = start;
        for (int i = 0; i < length; i++) {
            if (pos < 0) return null;
            out.add(pos);
            if (littleEndian) pos++;
            else pos = pos % 8 == 0 ? pos + 15 : pos - 1; // Motorola: down within a byte, then to the next byte's bit 7
        }
        return out;
    }
}
