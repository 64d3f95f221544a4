package dev.vgate.canbus;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SocketCAN error frames (linux/can/error.h) into events. The id's bits say which classes of
 * error occurred; data[1] holds the controller state details, data[2..3] the protocol violation.
 */
final class ErrorFrames {
    static final int TX_TIMEOUT = 0x001;
    static final int LOSTARB = 0x002;
    static final int CRTL = 0x004;
    static final int PROT = 0x008;
    static final int TRX = 0x010;
    static final int ACK = 0x020;
    static final int BUSOFF = 0x040;
    static final int BUSERROR = 0x080;
    static final int RESTARTED = 0x100;
    /** Every error class; the ERR_FILTER value that asks the kernel for all error frames. */
    static final int ALL = 0x1FFFFFFF;

    static final int CRTL_RX_OVERFLOW = 0x01;
    static final int CRTL_TX_OVERFLOW = 0x02;
    static final int CRTL_RX_WARNING = 0x04;
    static final int CRTL_TX_WARNING = 0x08;
    static final int CRTL_RX_PASSIVE = 0x10;
    static final int CRTL_TX_PASSIVE = 0x20;
    static final int CRTL_ACTIVE = 0x40;

    private ErrorFrames() {}

    /** The events one error frame stands for, most severe first; never empty. */
    static List<CanEvent> decode(CanFrame f) {
        String iface = f.iface();
        int cls = f.id();
        byte[] d = f.data();
        int crtl = f.length() > 1 ? d[1] & 0xFF : 0;
        List<CanEvent> out = new ArrayList<>(2);
        if ((cls & BUSOFF) != 0) out.add(CanEvent.of(iface, CanEvent.Type.BUS_OFF, "error frame " + hex(cls)));
        if ((cls & CRTL) != 0) {
            if ((crtl & (CRTL_RX_PASSIVE | CRTL_TX_PASSIVE)) != 0)
                out.add(CanEvent.of(iface, CanEvent.Type.ERROR_PASSIVE, side(crtl, CRTL_RX_PASSIVE, CRTL_TX_PASSIVE)));
            if ((crtl & (CRTL_RX_WARNING | CRTL_TX_WARNING)) != 0)
                out.add(CanEvent.of(iface, CanEvent.Type.ERROR_WARNING, side(crtl, CRTL_RX_WARNING, CRTL_TX_WARNING)));
            if ((crtl & CRTL_ACTIVE) != 0) out.add(CanEvent.of(iface, CanEvent.Type.ERROR_ACTIVE, ""));
            if ((crtl & (CRTL_RX_OVERFLOW | CRTL_TX_OVERFLOW)) != 0)
                out.add(CanEvent.of(iface, CanEvent.Type.CONTROLLER_PROBLEM, side(crtl, CRTL_RX_OVERFLOW, CRTL_TX_OVERFLOW) + " buffer overflow"));
        }
        if ((cls & RESTARTED) != 0) out.add(CanEvent.of(iface, CanEvent.Type.RESTARTED, ""));
        StringBuilder other = new StringBuilder();
        if ((cls & TX_TIMEOUT) != 0) other.append("tx timeout, ");
        if ((cls & LOSTARB) != 0) other.append("lost arbitration at bit ").append(f.length() > 0 ? d[0] & 0xFF : 0).append(", ");
        if ((cls & PROT) != 0) other.append("protocol violation type ").append(hex(f.length() > 2 ? d[2] & 0xFF : 0))
                .append(" location ").append(hex(f.length() > 3 ? d[3] & 0xFF : 0)).append(", ");
        if ((cls & TRX) != 0) other.append("transceiver status ").append(hex(f.length() > 4 ? d[4] & 0xFF : 0)).append(", ");
        if ((cls & ACK) != 0) other.append("no ACK on transmission, ");
        if ((cls & BUSERROR) != 0) other.append("bus error, ");
        if (other.length() > 0) {
            other.setLength(other.length() - 2);
            out.add(CanEvent.of(iface, CanEvent.Type.CONTROLLER_PROBLEM, other.toString()));
        }
        if (out.isEmpty()) out.add(CanEvent.of(iface, CanEvent.Type.CONTROLLER_PROBLEM, "error frame " + hex(cls) + " " + CandumpFormat.format(f)));
        return out;
    }

    private static String side(int crtl, int rxBit, int txBit) {
        boolean rx = (crtl & rxBit) != 0, tx = (crtl & txBit) != 0;
        return rx && tx ? "rx and tx" : rx ? "rx" : "tx";
    }

    private static String hex(int v) { return "0x" + Integer.toHexString(v).toUpperCase(); }
}
