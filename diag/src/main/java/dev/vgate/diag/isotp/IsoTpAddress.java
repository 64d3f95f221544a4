package dev.vgate.diag.isotp;

import java.util.Locale;

/**
 * Who an ISO-TP connection talks to: the CAN id it sends on and the one it receives on (11- or 29-bit),
 * and for extended addressing (ISO 15765-2 "extended"/"mixed") the address byte that starts every frame's
 * data, one for each direction. A negative {@code rxId} makes a send-only connection (functional
 * requests such as OBD's 0x7DF: single frames to every ECU, answers come on each ECU's own id).
 *
 * @param txId          id of the frames this side sends (data frames and its flow control)
 * @param rxId          id of the frames it receives, or -1 for send-only
 * @param extendedIds   29-bit ids
 * @param txExtAddress  extended-addressing byte sent first in each frame, or -1 for normal addressing
 * @param rxExtAddress  extended-addressing byte expected first in each received frame, or -1
 */
public record IsoTpAddress(int txId, int rxId, boolean extendedIds, int txExtAddress, int rxExtAddress) {
    public static final int SFF_MASK = 0x7FF;
    public static final int EFF_MASK = 0x1FFFFFFF;
    /** OBD-II's functional request id (SAE J1979 / ISO 15765-4). */
    public static final int OBD_FUNCTIONAL = 0x7DF;

    public IsoTpAddress {
        int max = extendedIds ? EFF_MASK : SFF_MASK;
        if (txId < 0 || txId > max) throw new IllegalArgumentException("tx id 0x" + Integer.toHexString(txId) + " out of range for " + (extendedIds ? "29" : "11") + "-bit ids");
        if (rxId > max) throw new IllegalArgumentException("rx id 0x" + Integer.toHexString(rxId) + " out of range for " + (extendedIds ? "29" : "11") + "-bit ids");
        if (txExtAddress > 0xFF || rxExtAddress > 0xFF) throw new IllegalArgumentException("extended address must be a byte");
        if ((txExtAddress < 0) != (rxExtAddress < 0)) throw new IllegalArgumentException("extended addressing needs both address bytes");
    }

    /** Normal addressing, 11-bit ids when both fit (else 29-bit). */
    public static IsoTpAddress of(int txId, int rxId) {
        boolean ext = txId > SFF_MASK || rxId > SFF_MASK;
        return new IsoTpAddress(txId, rxId, ext, -1, -1);
    }

    /** A send-only address (functional requests). */
    public static IsoTpAddress sendOnly(int txId) {
        return new IsoTpAddress(txId, -1, txId > SFF_MASK, -1, -1);
    }

    public IsoTpAddress withExtendedIds() { return new IsoTpAddress(txId, rxId, true, txExtAddress, rxExtAddress); }

    public IsoTpAddress withExtendedAddressing(int txAe, int rxAe) { return new IsoTpAddress(txId, rxId, extendedIds, txAe, rxAe); }

    /** The other end of this connection (what an ECU answering this tester would use). */
    public IsoTpAddress reversed() { return new IsoTpAddress(rxId, txId, extendedIds, rxExtAddress, txExtAddress); }

    public boolean sendOnly() { return rxId < 0; }

    public boolean extendedAddressing() { return txExtAddress >= 0; }

    /** Bytes of every frame taken by the address extension (0 or 1). */
    public int addressBytes() { return extendedAddressing() ? 1 : 0; }

    @Override public String toString() {
        String w = extendedIds ? "%08X" : "%03X";
        String s = String.format(Locale.ROOT, w, txId) + "->" + (rxId < 0 ? "(none)" : String.format(Locale.ROOT, w, rxId));
        if (extendedAddressing()) s += String.format(Locale.ROOT, " ae %02X/%02X", txExtAddress, rxExtAddress);
        return s;
    }
}
