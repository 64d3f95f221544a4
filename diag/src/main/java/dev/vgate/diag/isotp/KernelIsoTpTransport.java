package dev.vgate.diag.isotp;

import dev.vgate.canbus.CanException;
import dev.vgate.canbus.NativeLibrary;
import org.tinylog.Logger;
import tel.schich.javacan.CanChannels;
import tel.schich.javacan.CanSocketOptions;
import tel.schich.javacan.IsotpCanChannel;
import tel.schich.javacan.IsotpCanSocketOptions;
import tel.schich.javacan.IsotpFlowControlOptions;
import tel.schich.javacan.IsotpLinkLayerOptions;
import tel.schich.javacan.IsotpOptions.Flag;
import tel.schich.javacan.IsotpSocketAddress;
import tel.schich.javacan.NetworkDevice;
import tel.schich.javacan.platform.linux.LinuxNativeOperationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kernel's ISO-TP ({@code CAN_ISOTP} socket, module {@code can-isotp}, mainline since 5.10) through
 * javacan's {@link IsotpCanChannel}: the kernel segments, paces and answers flow control; this class maps
 * the options and turns the socket's errno values into {@link IsoTpException}s. The kernel's N_Bs/N_Cr
 * timeouts are its own (1 s); javacan writes at most 4095 bytes (longer messages are still received).
 */
public final class KernelIsoTpTransport implements IsoTpTransport {
    private static final int EAGAIN = 11, ECOMM = 70, EBADMSG = 74, EILSEQ = 84, EMSGSIZE = 90, ETIMEDOUT = 110,
            EAFNOSUPPORT = 97, EPROTONOSUPPORT = 93, ENODEV = 19, ENETDOWN = 100;
    private static final int CAN_EFF_FLAG = 0x80000000;
    private static final int CANFD_MTU = 72, CAN_MTU = 16;

    private final String iface;
    private final IsoTpAddress address;
    private final IsotpCanChannel channel;
    private final ByteBuffer rx;
    private final ByteBuffer tx = ByteBuffer.allocateDirect(IsotpCanChannel.MAX_MESSAGE_LENGTH);
    private final Object rxLock = new Object();
    private final Object txLock = new Object();
    private Duration currentTimeout;
    private volatile boolean closed;

    private KernelIsoTpTransport(String iface, IsoTpAddress address, IsotpCanChannel channel, int maxMessage) {
        this.iface = iface;
        this.address = address;
        this.channel = channel;
        this.rx = ByteBuffer.allocateDirect(Math.max(maxMessage, IsotpCanChannel.MAX_MESSAGE_LENGTH) + 1);
    }

    public static KernelIsoTpTransport open(String iface, IsoTpAddress a, IsoTpOptions o) throws IsoTpException {
        try {
            NativeLibrary.ensureLoaded();
        } catch (CanException e) {
            throw new IsoTpException(IsoTpException.Kind.IO, e.getMessage(), e);
        }
        IsotpCanChannel ch;
        try {
            ch = CanChannels.newIsotpChannel();
        } catch (IOException e) {
            int errno = errno(e);
            if (errno == EPROTONOSUPPORT || errno == EAFNOSUPPORT) {
                throw new IsoTpException(IsoTpException.Kind.IO, "the kernel has no ISO-TP sockets (load the can-isotp module: modprobe can-isotp)", e);
            }
            throw new IsoTpException(IsoTpException.Kind.IO, iface + ": cannot create an ISO-TP socket: " + reason(e), e);
        }
        try {
            NetworkDevice dev;
            try {
                dev = NetworkDevice.lookup(iface);
            } catch (IOException e) {
                throw new IsoTpException(IsoTpException.Kind.IO, "no CAN interface " + iface + " (" + reason(e) + ")", e);
            }
            Set<Flag> flags = EnumSet.noneOf(Flag.class);
            // send() returns once the whole message is on the bus, and reports a transfer failure there
            flags.add(Flag.WAIT_TX_DONE);
            if (a.extendedAddressing()) {
                flags.add(Flag.EXTEND_ADDR);
                flags.add(Flag.RX_EXT_ADDR);
            }
            if (o.padding() >= 0) flags.add(Flag.TX_PADDING);
            if (a.sendOnly()) flags.add(Flag.SF_BROADCAST);
            byte pad = (byte) (o.padding() >= 0 ? o.padding() : 0xCC);
            ch.setOption(IsotpCanSocketOptions.OPTS, new tel.schich.javacan.IsotpOptions(Flag.toBits(flags), 0,
                    (byte) Math.max(a.txExtAddress(), 0), pad, pad, (byte) Math.max(a.rxExtAddress(), 0)));
            ch.setOption(IsotpCanSocketOptions.RECV_FC, new IsotpFlowControlOptions((byte) o.blockSize(), (byte) o.stMin(), (byte) 0));
            if (o.fd()) {
                ch.setOption(IsotpCanSocketOptions.LL_OPTS, new IsotpLinkLayerOptions((byte) CANFD_MTU, (byte) o.txDataLength(), (byte) 0));
            } else {
                ch.setOption(IsotpCanSocketOptions.LL_OPTS, new IsotpLinkLayerOptions((byte) CAN_MTU, (byte) 8, (byte) 0));
            }
            int txId = a.txId() | (a.extendedIds() ? CAN_EFF_FLAG : 0);
            // a send-only socket still binds an rx id; the kernel registers none with SF_BROADCAST
            int rxId = (a.sendOnly() ? a.txId() : a.rxId()) | (a.extendedIds() ? CAN_EFF_FLAG : 0);
            ch.bind(dev, IsotpSocketAddress.isotpAddress(rxId), IsotpSocketAddress.isotpAddress(txId));
            Logger.debug("{}: kernel ISO-TP socket {} open", iface, a);
            return new KernelIsoTpTransport(iface, a, ch, o.maxMessageLength());
        } catch (IsoTpException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw new IsoTpException(IsoTpException.Kind.IO, iface + ": cannot set up the ISO-TP socket " + a + ": " + reason(e), e);
        }
    }

    @Override public IsoTpAddress address() { return address; }

    @Override public void send(byte[] message) throws IsoTpException {
        if (message.length == 0 || message.length > IsotpCanChannel.MAX_MESSAGE_LENGTH) {
            throw new IsoTpException(IsoTpException.Kind.BAD_LENGTH, "message of " + message.length + " bytes: the kernel socket sends 1 to "
                    + IsotpCanChannel.MAX_MESSAGE_LENGTH);
        }
        synchronized (txLock) {
            check();
            tx.clear();
            tx.put(message).flip();
            try {
                int n = channel.write(tx);
                if (n != message.length) throw new IsoTpException(IsoTpException.Kind.IO, "kernel took " + n + " of " + message.length + " bytes");
            } catch (IOException e) {
                throw mapped(e, "send of " + message.length + " bytes to " + hex(address.txId()));
            }
        }
    }

    @Override public byte[] receive(Duration timeout) throws IsoTpException {
        synchronized (rxLock) {
            check();
            try {
                if (!timeout.equals(currentTimeout)) {
                    // SO_RCVTIMEO of 0 means "block forever": the shortest real wait is 1 µs
                    channel.setOption(CanSocketOptions.SO_RCVTIMEO, timeout.isZero() || timeout.isNegative() ? Duration.ofNanos(1000) : timeout);
                    currentTimeout = timeout;
                }
                rx.clear();
                int n = channel.read(rx);
                byte[] m = new byte[n];
                rx.flip();
                rx.get(m);
                return m;
            } catch (IOException e) {
                if (errno(e) == EAGAIN) return null;
                throw mapped(e, "reception from " + hex(address.rxId()));
            }
        }
    }

    @Override public void discardPending() throws IsoTpException {
        for (int i = 0; i < 64; i++) {
            try {
                if (receive(Duration.ofNanos(1000)) == null) return;
            } catch (IsoTpException e) {
                // a failure of an earlier reception (reported once by the socket) does not concern the next request
                if (e.kind() == IsoTpException.Kind.CLOSED) throw e;
                Logger.debug("{}: discarded an earlier failure: {}", iface, e.getMessage());
            }
        }
    }

    private void check() throws IsoTpException {
        if (closed) throw new IsoTpException(IsoTpException.Kind.CLOSED, "ISO-TP connection " + address + " on " + iface + " is closed");
    }

    private IsoTpException mapped(IOException e, String what) {
        if (closed) return new IsoTpException(IsoTpException.Kind.CLOSED, "ISO-TP connection " + address + " closed during " + what);
        int errno = errno(e);
        return switch (errno) {
            case ECOMM -> new IsoTpException(IsoTpException.Kind.TIMEOUT_BS, iface + ": no flow control from " + hex(address.rxId())
                    + " (N_Bs timeout) during " + what, e);
            case ETIMEDOUT -> new IsoTpException(IsoTpException.Kind.TIMEOUT_CR, iface + ": consecutive frame missing (N_Cr timeout) during " + what, e);
            case EILSEQ -> new IsoTpException(IsoTpException.Kind.WRONG_SN, iface + ": wrong sequence number during " + what, e);
            case EMSGSIZE -> new IsoTpException(IsoTpException.Kind.OVERFLOW, iface + ": message too long for the receiver (flow control OVERFLOW) during " + what, e);
            case EBADMSG -> new IsoTpException(IsoTpException.Kind.MALFORMED, iface + ": malformed frame during " + what, e);
            case ENODEV, ENETDOWN -> new IsoTpException(IsoTpException.Kind.IO, iface + " is down or gone during " + what + " (" + reason(e) + ")", e);
            default -> new IsoTpException(IsoTpException.Kind.IO, iface + ": " + what + " failed: " + reason(e), e);
        };
    }

    static int errno(Throwable e) {
        return e instanceof LinuxNativeOperationException n ? n.getErrorNumber() : 0;
    }

    static String reason(Throwable e) {
        if (e instanceof LinuxNativeOperationException n && n.getErrorString() != null) return n.getErrorString() + " (errno " + n.getErrorNumber() + ")";
        return String.valueOf(e.getMessage());
    }

    private String hex(int id) {
        return address.extendedIds() ? String.format("%08X", id) : String.format("%03X", id);
    }

    @Override public void close() {
        closed = true;
        closeQuietly(channel);
    }

    private static void closeQuietly(IsotpCanChannel ch) {
        try {
            ch.close();
        } catch (IOException | RuntimeException e) {
            Logger.debug(e, "closing an ISO-TP socket failed");
        }
    }
}
