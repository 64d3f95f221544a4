package dev.vgate.canbus;

import org.tinylog.Logger;
import tel.schich.javacan.CanChannels;
import tel.schich.javacan.CanFilter;
import tel.schich.javacan.CanSocketOptions;
import tel.schich.javacan.JavaCAN;
import tel.schich.javacan.NetworkDevice;
import tel.schich.javacan.RawCanChannel;
import tel.schich.javacan.RawReceiveMessageHeaderBuffer;
import tel.schich.javacan.platform.linux.LinuxNativeOperationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * One bound SocketCAN RAW socket and the struct can_frame / canfd_frame layout (linux/can.h): the id
 * with its EFF/RTR/ERR flag bits, the length, the FD flags, 8 or 64 data bytes. Receiving and sending
 * reuse direct buffers; nothing is allocated per frame except javacan's timestamp Instant.
 */
final class RawSocket implements AutoCloseable {
    static final int EAFNOSUPPORT = 97;
    static final int ENODEV = 19;
    static final int ENETDOWN = 100;
    static final int ENXIO = 6;

    private static final int CAN_MTU = 16;
    private static final int CANFD_MTU = 72;
    private static final int EFF_FLAG = 0x80000000;
    private static final int RTR_FLAG = 0x40000000;
    private static final int ERR_FLAG = 0x20000000;
    private static final int CANFD_BRS = 0x01, CANFD_ESI = 0x02, CANFD_FDF = 0x04;
    /** How long a receive blocks before the loop checks whether it should stop. */
    static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(200);

    private final String iface;
    private final RawCanChannel channel;
    private final ByteBuffer rx = RawCanChannel.allocateSufficientMemory();
    private final RawReceiveMessageHeaderBuffer header = new RawReceiveMessageHeaderBuffer();
    private final ByteBuffer tx = JavaCAN.allocateOrdered(CANFD_MTU);
    private final boolean dropCounting;
    private final int effectiveReceiveBuffer;
    private long lastDropCount;

    private RawSocket(String iface, RawCanChannel channel, boolean dropCounting, int effectiveReceiveBuffer) {
        this.iface = iface;
        this.channel = channel;
        this.dropCounting = dropCounting;
        this.effectiveReceiveBuffer = effectiveReceiveBuffer;
    }

    /** Opens, binds and configures a socket on {@code iface}. */
    static RawSocket open(String iface, SocketCanConfig cfg) throws CanException {
        NativeLibrary.ensureLoaded();
        RawCanChannel ch;
        try {
            ch = CanChannels.newRawChannel();
        } catch (IOException e) {
            if (errno(e) == EAFNOSUPPORT) {
                throw new CanException("SocketCAN not available in this kernel (address family not supported): cannot open " + iface, e);
            }
            throw new CanException(iface + ": cannot create a CAN socket: " + e.getMessage(), e);
        }
        try {
            NetworkDevice dev;
            try {
                dev = NetworkDevice.lookup(iface);
            } catch (IOException e) {
                throw new CanException("no CAN interface " + iface + " (" + reason(e) + ")", e);
            }
            ch.setOption(CanSocketOptions.FD_FRAMES, cfg.fd());
            if (cfg.errorFrames()) ch.setOption(CanSocketOptions.ERR_FILTER, ErrorFrames.ALL);
            int[][] kf = cfg.filter().kernelFilters();
            if (kf != null) {
                CanFilter[] filters = new CanFilter[kf.length];
                for (int k = 0; k < kf.length; k++) filters[k] = new CanFilter(kf[k][0], kf[k][1]);
                // an empty array installs no filter at all: the kernel then receives nothing, as asked
                ch.setOption(CanSocketOptions.FILTER, filters);
            }
            ch.setOption(CanSocketOptions.SO_RCVBUF, cfg.receiveBufferBytes());
            int effective = ch.getOption(CanSocketOptions.SO_RCVBUF);
            ch.setOption(CanSocketOptions.SO_TIMESTAMPNS, true);
            boolean dropCounting = true;
            try {
                ch.setOption(CanSocketOptions.SO_RXQ_OVFL, true);
            } catch (IOException e) {
                dropCounting = false;
                Logger.warn("{}: SO_RXQ_OVFL not available, kernel drops will not be counted ({})", iface, reason(e));
            }
            ch.setOption(CanSocketOptions.SO_RCVTIMEO, RECEIVE_TIMEOUT);
            ch.bind(dev);
            // the kernel doubles what it grants; half of it is what we asked for
            if (effective / 2 < cfg.receiveBufferBytes()) {
                Logger.warn("{}: receive buffer capped at {} bytes (asked {}); raise net.core.rmem_max for more", iface, effective / 2, cfg.receiveBufferBytes());
            }
            return new RawSocket(iface, ch, dropCounting, effective);
        } catch (CanException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw new CanException(iface + ": cannot set up the CAN socket: " + reason(e), e);
        }
    }

    boolean dropCounting() { return dropCounting; }

    /** The receive buffer the kernel granted (as getsockopt reports it: twice the usable payload). */
    int effectiveReceiveBuffer() { return effectiveReceiveBuffer; }

    /**
     * Waits up to {@link #RECEIVE_TIMEOUT} for a frame and fills {@code into}.
     *
     * @return false on timeout
     * @throws IOException from the socket (see {@link #errno})
     */
    boolean receive(CanFrame into) throws IOException {
        rx.clear();
        long n;
        try {
            n = channel.receiveUnsafe(rx, header);
        } catch (LinuxNativeOperationException e) {
            if (e.getErrorNumber() == LinuxNativeOperationException.EAGAIN) return false;
            throw e;
        }
        int rawId = rx.getInt(0);
        int len = rx.get(4) & 0xFF;
        int flags = 0;
        if ((rawId & EFF_FLAG) != 0) flags |= CanFrame.FLAG_EXTENDED;
        if ((rawId & ERR_FLAG) != 0) flags |= CanFrame.FLAG_ERROR;
        int maxLen;
        if (n == CANFD_MTU) {
            int fdFlags = rx.get(5);
            flags |= CanFrame.FLAG_FD;
            if ((fdFlags & CANFD_BRS) != 0) flags |= CanFrame.FLAG_BRS;
            if ((fdFlags & CANFD_ESI) != 0) flags |= CanFrame.FLAG_ESI;
            if ((fdFlags & CANFD_FDF) != 0) flags |= CanFrame.FLAG_FDF;
            maxLen = CanFrame.MAX_FD_DATA;
        } else if (n == CAN_MTU) {
            if ((rawId & RTR_FLAG) != 0) flags |= CanFrame.FLAG_RTR;
            maxLen = CanFrame.MAX_CLASSIC_DATA;
        } else {
            throw new IOException(iface + ": kernel returned " + n + " bytes, neither a CAN (16) nor a CAN FD (72) frame");
        }
        if (len > maxLen) len = maxLen;
        byte[] d = into.data();
        int previous = into.length();
        if ((flags & CanFrame.FLAG_RTR) != 0) {
            Arrays.fill(d, 0, Math.max(previous, 0), (byte) 0);
        } else {
            rx.get(8, d, 0, len);
            if (previous > len) Arrays.fill(d, len, previous, (byte) 0);
        }
        into.id(rawId & ((flags & CanFrame.FLAG_EXTENDED) != 0 || (flags & CanFrame.FLAG_ERROR) != 0 ? CanIdFilter.EFF_MASK : CanIdFilter.SFF_MASK))
                .flags(flags).length(len).iface(iface);
        Instant ts = header.getSoftwareTimestamp();
        long tsNanos = ts.getEpochSecond() * 1_000_000_000L + ts.getNano();
        into.timestampNanos(tsNanos != 0 ? tsNanos : System.currentTimeMillis() * 1_000_000L);
        return true;
    }

    /** Frames the kernel dropped since the previous call (SO_RXQ_OVFL counter delta, from the last receive). */
    long newDrops() {
        long total = header.getDropCount() & 0xFFFFFFFFL;
        long delta = (total - lastDropCount) & 0xFFFFFFFFL;
        lastDropCount = total;
        return delta;
    }

    void send(CanFrame f) throws CanException, IOException {
        if (f.isError()) throw new CanException(iface + ": refusing to send an error frame (" + f + ")");
        int rawId = f.id();
        if (f.isExtended()) {
            if (rawId < 0 || rawId > CanIdFilter.EFF_MASK) throw new CanException(iface + ": 29-bit id " + Integer.toHexString(rawId) + " out of range");
            rawId |= EFF_FLAG;
        } else if (rawId < 0 || rawId > CanIdFilter.SFF_MASK) {
            throw new CanException(iface + ": 11-bit id " + Integer.toHexString(rawId) + " out of range (set FLAG_EXTENDED for 29-bit ids)");
        }
        int len = f.length();
        int size;
        tx.clear();
        if (f.isFd()) {
            if (f.isRemote()) throw new CanException(iface + ": CAN FD has no remote frames");
            if (!CandumpFormat.isFdLength(len)) throw new CanException(iface + ": " + len + " is not a CAN FD length");
            int fdFlags = CANFD_FDF;
            if ((f.flags() & CanFrame.FLAG_BRS) != 0) fdFlags |= CANFD_BRS;
            if ((f.flags() & CanFrame.FLAG_ESI) != 0) fdFlags |= CANFD_ESI;
            size = CANFD_MTU;
            tx.putInt(0, rawId).put(4, (byte) len).put(5, (byte) fdFlags).put(6, (byte) 0).put(7, (byte) 0);
        } else {
            if (len > CanFrame.MAX_CLASSIC_DATA) throw new CanException(iface + ": " + len + " data bytes in a classic CAN frame (max 8; set FLAG_FD)");
            if (f.isRemote()) rawId |= RTR_FLAG;
            size = CAN_MTU;
            tx.putInt(0, rawId).put(4, (byte) len).put(5, (byte) 0).put(6, (byte) 0).put(7, (byte) 0);
        }
        byte[] d = f.data();
        for (int k = 0; k < size - 8; k++) tx.put(8 + k, k < len && !f.isRemote() ? d[k] : 0);
        tx.position(0).limit(size);
        long written = channel.writeUnsafe(tx);
        if (written != size) throw new IOException("wrote " + written + " of " + size + " bytes");
    }

    @Override public void close() { closeQuietly(channel); }

    /** The errno of a javacan failure, or 0. */
    static int errno(Throwable e) {
        return e instanceof LinuxNativeOperationException ? ((LinuxNativeOperationException) e).getErrorNumber() : 0;
    }

    static String reason(Throwable e) {
        if (e instanceof LinuxNativeOperationException) {
            LinuxNativeOperationException n = (LinuxNativeOperationException) e;
            if (n.getErrorString() != null) return n.getErrorString() + " (errno " + n.getErrorNumber() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    private static void closeQuietly(RawCanChannel ch) {
        try {
            ch.close();
        } catch (IOException | RuntimeException e) {
            Logger.debug(e, "closing a CAN socket failed");
        }
    }
}
