package dev.vgate.diag.isotp;

import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanException;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.FrameHandler;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * ISO 15765-2 in Java over a {@link CanChannel}: single, first, consecutive and flow-control frames,
 * block size and STmin both ways, WAIT flow controls up to N_WFTmax, N_Bs and N_Cr timeouts, sequence
 * numbers, padding, CAN FD data lengths with the escape single frame and the escape first-frame length.
 * It behaves like the kernel's {@code can-isotp} on the same exchanges (tested side by side on vcan), so
 * the demo and the unit tests run the same protocol as a gateway.
 *
 * <p>Frames are handled on the channel's receive thread, which also sends our flow controls. Received
 * messages wait in a bounded inbox; a reception buffer is allocated only after the first frame's length
 * passed the limit, so memory stays bounded whatever arrives.
 */
public final class ChannelIsoTpTransport implements IsoTpTransport, FrameHandler {
    /** Received messages (and reception failures) kept until read; older ones are dropped beyond this. */
    static final int INBOX = 16;
    private static final int FS_CTS = 0, FS_WAIT = 1, FS_OVFLW = 2;

    private final CanChannel channel;
    private final IsoTpAddress address;
    private final IsoTpOptions options;
    private final int ae;
    private final Object lock = new Object();
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private final ArrayBlockingQueue<byte[]> flowControls = new ArrayBlockingQueue<>(64);
    private final Object sendLock = new Object();
    private final CanFrame out = new CanFrame();   // guarded by sendLock (data frames)
    private final CanFrame fcOut = new CanFrame(); // receive thread only (flow controls)
    private volatile boolean closed;
    private volatile boolean sending;
    private long droppedMessages;

    // reception in progress (receive thread, under lock)
    private byte[] rxBuf;
    private int rxPos;
    private int rxSn;
    private int rxBlock;
    private int rxDl;
    private long rxLastNanos;

    private ChannelIsoTpTransport(CanChannel channel, IsoTpAddress address, IsoTpOptions options) {
        this.channel = channel;
        this.address = address;
        this.options = options;
        this.ae = address.addressBytes();
    }

    /**
     * Runs ISO-TP on {@code channel}, which must deliver the frames of {@code address.rxId()} (it may
     * deliver others: they are ignored) and is owned by the transport from now on.
     */
    public static ChannelIsoTpTransport start(CanChannel channel, IsoTpAddress address, IsoTpOptions options) throws IsoTpException {
        ChannelIsoTpTransport t = new ChannelIsoTpTransport(channel, address, options);
        if (!address.sendOnly()) {
            try {
                channel.start(t);
            } catch (CanException e) {
                channel.close();
                throw new IsoTpException(IsoTpException.Kind.IO, channel.name() + ": " + e.getMessage(), e);
            }
        }
        return t;
    }

    @Override public IsoTpAddress address() { return address; }

    /** Messages dropped because nobody read the inbox. */
    public long droppedMessages() {
        synchronized (lock) {
            return droppedMessages;
        }
    }

    // ------------------------------------------------------------------ receiving

    @Override public void onFrame(CanFrame f) {
        if (closed || f.id() != address.rxId() || f.isExtended() != address.extendedIds() || f.isRemote() || f.isError()) return;
        byte[] d = f.data();
        int len = f.length();
        if (ae == 1 && (len < 1 || (d[0] & 0xFF) != address.rxExtAddress())) return;
        if (len <= ae) {
            fail(IsoTpException.Kind.MALFORMED, "empty ISO-TP frame from " + id() + " (no PCI byte)");
            return;
        }
        int pci = d[ae] & 0xFF;
        switch (pci >> 4) {
            case 0 -> singleFrame(d, len);
            case 1 -> firstFrame(d, len);
            case 2 -> consecutiveFrame(d, len);
            case 3 -> {
                if (!flowControls.offer(Arrays.copyOfRange(d, ae, len))) Logger.debug("{}: flow control storm, frame dropped", id());
            }
            default -> Logger.debug("{}: frame with unknown PCI type 0x{} ignored", id(), Integer.toHexString(pci >> 4));
        }
    }

    private void singleFrame(byte[] d, int len) {
        int dl = d[ae] & 0x0F;
        int start = ae + 1;
        if (dl == 0) {
            // escape single frame (CAN FD, ISO 15765-2:2016): the length is in the next byte
            if (len <= 8) {
                fail(IsoTpException.Kind.MALFORMED, "single frame from " + id() + " with length 0");
                return;
            }
            dl = d[ae + 1] & 0xFF;
            start = ae + 2;
            if (dl <= 7 - ae) {
                fail(IsoTpException.Kind.MALFORMED, "escape single frame from " + id() + " with length " + dl + " (needs more than " + (7 - ae) + ")");
                return;
            }
        } else if (len > 8) {
            fail(IsoTpException.Kind.MALFORMED, "CAN FD single frame from " + id() + " with a 4-bit length (" + dl + "): not allowed above 8 bytes");
            return;
        }
        if (dl > len - start) {
            fail(IsoTpException.Kind.MALFORMED, "truncated single frame from " + id() + ": announces " + dl + " bytes, carries " + (len - start));
            return;
        }
        synchronized (lock) {
            if (rxBuf != null) {
                Logger.warn("{}: reception of {} bytes interrupted by a single frame after {} bytes", id(), rxBuf.length, rxPos);
                rxBuf = null;
            }
            deliver(Arrays.copyOfRange(d, start, start + dl));
        }
    }

    private void firstFrame(byte[] d, int len) {
        if (len < 8) {
            fail(IsoTpException.Kind.MALFORMED, "truncated first frame from " + id() + ": " + len + " bytes (needs 8)");
            return;
        }
        long ffDl = ((d[ae] & 0x0F) << 8) | (d[ae + 1] & 0xFF);
        int start = ae + 2;
        if (ffDl == 0) {
            if (len < ae + 6) {
                fail(IsoTpException.Kind.MALFORMED, "truncated escape first frame from " + id());
                return;
            }
            ffDl = ((d[ae + 2] & 0xFFL) << 24) | ((d[ae + 3] & 0xFF) << 16) | ((d[ae + 4] & 0xFF) << 8) | (d[ae + 5] & 0xFF);
            start = ae + 6;
        }
        int sfMax = len == 8 ? 7 - ae : len - 2 - ae;
        if (ffDl <= sfMax) {
            fail(IsoTpException.Kind.MALFORMED, "first frame from " + id() + " announces " + ffDl + " bytes: a single frame carries that");
            return;
        }
        if (ffDl > options.maxMessageLength()) {
            sendFlowControl(FS_OVFLW);
            fail(IsoTpException.Kind.OVERFLOW, "incoming message of " + ffDl + " bytes from " + id() + " exceeds the limit of "
                    + options.maxMessageLength() + " (flow control OVERFLOW sent)");
            return;
        }
        int n = (int) Math.min(len - start, ffDl);
        synchronized (lock) {
            if (rxBuf != null) Logger.warn("{}: reception of {} bytes interrupted by a new first frame after {} bytes", id(), rxBuf.length, rxPos);
            rxBuf = new byte[(int) ffDl];
            System.arraycopy(d, start, rxBuf, 0, n);
            rxPos = n;
            rxSn = 1;
            rxBlock = 0;
            rxDl = len;
            rxLastNanos = System.nanoTime();
        }
        sendFlowControl(FS_CTS);
    }

    private void consecutiveFrame(byte[] d, int len) {
        boolean askMore = false;
        synchronized (lock) {
            expireReception(System.nanoTime());
            if (rxBuf == null) return; // not expected: ignored, as ISO 15765-2 says
            int sn = d[ae] & 0x0F;
            if (sn != rxSn) {
                failLocked(IsoTpException.Kind.WRONG_SN, "wrong sequence number from " + id() + ": expected " + rxSn + ", got " + sn
                        + " after " + rxPos + " of " + rxBuf.length + " bytes");
                rxBuf = null;
                return;
            }
            int need = rxBuf.length - rxPos;
            int have = len - ae - 1;
            if (have < need && len < rxDl) {
                failLocked(IsoTpException.Kind.MALFORMED, "truncated consecutive frame from " + id() + ": " + len + " bytes where "
                        + rxDl + " were expected, after " + rxPos + " of " + rxBuf.length + " bytes");
                rxBuf = null;
                return;
            }
            int n = Math.min(need, have);
            System.arraycopy(d, ae + 1, rxBuf, rxPos, n);
            rxPos += n;
            rxSn = (rxSn + 1) & 0x0F;
            rxLastNanos = System.nanoTime();
            if (rxPos == rxBuf.length) {
                byte[] done = rxBuf;
                rxBuf = null;
                deliver(done);
            } else if (options.blockSize() > 0 && ++rxBlock == options.blockSize()) {
                rxBlock = 0;
                askMore = true;
            }
        }
        if (askMore) sendFlowControl(FS_CTS);
    }

    /** N_Cr: a reception whose next consecutive frame is overdue ends with an error. Under lock. */
    private void expireReception(long now) {
        if (rxBuf != null && now - rxLastNanos > options.nCr().toNanos()) {
            failLocked(IsoTpException.Kind.TIMEOUT_CR, "no consecutive frame from " + id() + " for " + options.nCr().toMillis()
                    + " ms (N_Cr) after " + rxPos + " of " + rxBuf.length + " bytes");
            rxBuf = null;
        }
    }

    private void sendFlowControl(int fs) {
        if (closed) return;
        byte[] fc = {(byte) (0x30 | fs), (byte) options.blockSize(), (byte) options.stMin()};
        try {
            channel.send(frame(fcOut, fc, 0, fc.length, -1));
        } catch (CanException e) {
            fail(IsoTpException.Kind.IO, "cannot send flow control to " + Integer.toHexString(address.txId()) + ": " + e.getMessage());
        }
    }

    private void fail(IsoTpException.Kind kind, String message) {
        synchronized (lock) {
            failLocked(kind, message);
        }
    }

    private void failLocked(IsoTpException.Kind kind, String message) {
        Logger.debug("isotp {}: {}", address, message);
        deliver(new IsoTpException(kind, message));
    }

    private void deliver(Object item) {
        if (inbox.size() >= INBOX) {
            inbox.poll();
            droppedMessages++;
        }
        inbox.add(item);
        lock.notifyAll();
    }

    @Override public byte[] receive(Duration timeout) throws IsoTpException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (closed) throw new IsoTpException(IsoTpException.Kind.CLOSED, "ISO-TP connection " + address + " is closed");
                long now = System.nanoTime();
                expireReception(now);
                Object o = inbox.poll();
                if (o instanceof IsoTpException e) throw new IsoTpException(e.kind(), e.getMessage());
                if (o != null) return (byte[]) o;
                long left = deadline - now;
                if (left <= 0) return null;
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, 20_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IsoTpException(IsoTpException.Kind.CLOSED, "interrupted while waiting for " + id());
                }
            }
        }
    }

    @Override public void discardPending() {
        synchronized (lock) {
            inbox.clear();
        }
    }

    // ------------------------------------------------------------------ sending

    @Override public void send(byte[] message) throws IsoTpException {
        int n = message.length;
        if (n == 0) throw new IsoTpException(IsoTpException.Kind.BAD_LENGTH, "empty message: ISO-TP carries 1 to " + options.maxMessageLength() + " bytes");
        if (n > options.maxMessageLength()) {
            throw new IsoTpException(IsoTpException.Kind.BAD_LENGTH, "message of " + n + " bytes exceeds the limit of " + options.maxMessageLength());
        }
        synchronized (sendLock) {
            if (closed) throw new IsoTpException(IsoTpException.Kind.CLOSED, "ISO-TP connection " + address + " is closed");
            int txDl = options.fd() ? options.txDataLength() : 8;
            if (n <= 7 - ae) {
                byte[] sf = new byte[n + 1];
                sf[0] = (byte) n;
                System.arraycopy(message, 0, sf, 1, n);
                put(sf, 0, sf.length);
                return;
            }
            if (txDl > 8 && n <= txDl - 2 - ae) {
                byte[] sf = new byte[n + 2];
                sf[1] = (byte) n;
                System.arraycopy(message, 0, sf, 2, n);
                put(sf, 0, sf.length);
                return;
            }
            if (address.sendOnly()) {
                throw new IsoTpException(IsoTpException.Kind.BAD_LENGTH, "a send-only (functional) connection sends single frames only; "
                        + n + " bytes need " + "segmentation");
            }
            sending = true;
            try {
                sendSegmented(message, txDl);
            } finally {
                sending = false;
            }
        }
    }

    private void sendSegmented(byte[] message, int txDl) throws IsoTpException {
        int n = message.length;
        flowControls.clear();
        byte[] chunk = new byte[txDl];
        int header;
        if (n <= IsoTpOptions.MAX_12BIT_LENGTH) {
            chunk[0] = (byte) (0x10 | (n >> 8));
            chunk[1] = (byte) n;
            header = 2;
        } else {
            chunk[0] = 0x10;
            chunk[1] = 0;
            chunk[2] = (byte) (n >>> 24);
            chunk[3] = (byte) (n >>> 16);
            chunk[4] = (byte) (n >>> 8);
            chunk[5] = (byte) n;
            header = 6;
        }
        int pos = txDl - ae - header;
        System.arraycopy(message, 0, chunk, header, pos);
        put(chunk, 0, txDl - ae);
        int sn = 1;
        while (pos < n) {
            int[] fc = awaitClearToSend(pos, n);
            int bs = fc[0];
            long gap = IsoTpOptions.stMinNanos(fc[1]);
            int sent = 0;
            while (pos < n && (bs == 0 || sent < bs)) {
                if (sent > 0 && gap > 0) LockSupport.parkNanos(gap);
                if (closed) throw new IsoTpException(IsoTpException.Kind.CLOSED, "ISO-TP connection " + address + " closed while sending");
                int take = Math.min(n - pos, txDl - ae - 1);
                chunk[0] = (byte) (0x20 | sn);
                System.arraycopy(message, pos, chunk, 1, take);
                put(chunk, 0, take + 1);
                pos += take;
                sn = (sn + 1) & 0x0F;
                sent++;
            }
            if (gap > 0 && pos < n) LockSupport.parkNanos(gap);
        }
    }

    /** Waits for a CTS flow control; returns {BS, STmin}. */
    private int[] awaitClearToSend(int pos, int n) throws IsoTpException {
        int waits = 0;
        while (true) {
            byte[] fc;
            try {
                fc = flowControls.poll(options.nBs().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IsoTpException(IsoTpException.Kind.CLOSED, "interrupted while waiting for flow control from " + id());
            }
            if (closed) throw new IsoTpException(IsoTpException.Kind.CLOSED, "ISO-TP connection " + address + " closed while sending");
            if (fc == null) {
                throw new IsoTpException(IsoTpException.Kind.TIMEOUT_BS, "no flow control from " + id() + " within "
                        + options.nBs().toMillis() + " ms (N_Bs) after " + pos + " of " + n + " bytes");
            }
            if (fc.length < 3) throw new IsoTpException(IsoTpException.Kind.MALFORMED, "truncated flow control from " + id() + ": " + fc.length + " bytes");
            int fs = fc[0] & 0x0F;
            switch (fs) {
                case FS_CTS:
                    return new int[] {fc[1] & 0xFF, fc[2] & 0xFF};
                case FS_WAIT:
                    if (++waits > options.maxWaitFrames()) {
                        throw new IsoTpException(IsoTpException.Kind.WAIT_LIMIT, id() + " sent more than " + options.maxWaitFrames()
                                + " WAIT flow controls in a row (N_WFTmax) after " + pos + " of " + n + " bytes");
                    }
                    continue;
                case FS_OVFLW:
                    throw new IsoTpException(IsoTpException.Kind.OVERFLOW, id() + " refused a message of " + n + " bytes (flow control OVERFLOW)");
                default:
                    throw new IsoTpException(IsoTpException.Kind.MALFORMED, "invalid flow status " + fs + " in flow control from " + id());
            }
        }
    }

    /** Sends one frame with {@code len} bytes of {@code pdu} after the address byte, padded as configured. */
    private void put(byte[] pdu, int off, int len) throws IsoTpException {
        try {
            channel.send(frame(out, pdu, off, len, options.fd() ? options.txDataLength() : 8));
        } catch (CanException e) {
            throw new IsoTpException(IsoTpException.Kind.IO, "cannot send to " + Integer.toHexString(address.txId()) + " on " + channel.name() + ": " + e.getMessage(), e);
        }
    }

    /** Builds a frame; flow controls ({@code txDl} -1) are classic unless this connection sends FD. */
    private CanFrame frame(CanFrame f, byte[] pdu, int off, int len, int txDl) {
        boolean fd = options.fd();
        int raw = len + ae;
        int frameLen;
        if (fd && raw > 8) {
            frameLen = fdLength(raw);
        } else if (options.padding() >= 0) {
            frameLen = 8;
        } else {
            frameLen = raw;
        }
        byte[] data = f.data();
        int pad = options.padding() >= 0 ? options.padding() : 0xCC;
        Arrays.fill(data, 0, Math.max(frameLen, 8), (byte) pad);
        if (ae == 1) data[0] = (byte) address.txExtAddress();
        System.arraycopy(pdu, off, data, ae, len);
        int flags = address.extendedIds() ? CanFrame.FLAG_EXTENDED : 0;
        if (fd) flags |= CanFrame.FLAG_FD;
        return f.id(address.txId()).flags(flags).length(frameLen);
    }

    private static int fdLength(int n) {
        for (int l : new int[] {8, 12, 16, 20, 24, 32, 48, 64}) if (n <= l) return l;
        return 64;
    }

    private String id() {
        return (address.extendedIds() ? String.format("%08X", address.rxId()) : String.format("%03X", address.rxId()));
    }

    /** Whether a segmented send is in progress (tests). */
    boolean sending() { return sending; }

    @Override public void close() {
        closed = true;
        synchronized (lock) {
            rxBuf = null;
            inbox.clear();
            lock.notifyAll();
        }
        channel.close();
    }
}
