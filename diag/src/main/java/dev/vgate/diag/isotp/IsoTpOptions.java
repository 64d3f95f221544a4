package dev.vgate.diag.isotp;

import java.time.Duration;

/**
 * How an ISO-TP connection frames and paces its messages.
 *
 * @param fd               send CAN FD frames (TX_DL {@code txDataLength}); received FD frames are understood either way
 * @param txDataLength     data bytes per frame when sending: 8 for classic CAN, 8..64 (a CAN FD length) for FD
 * @param padding          byte that fills every sent frame to its full length, or -1 for no padding (classic
 *                         frames are then as short as their data; FD frames are always filled to an FD length)
 * @param blockSize        BS announced in our flow control: consecutive frames between two flow controls, 0 = all
 * @param stMin            STmin byte announced in our flow control (0x00-0x7F ms, 0xF1-0xF9 = 100-900 µs)
 * @param nBs              how long the sender waits for a flow control frame (N_Bs)
 * @param nCr              how long the receiver waits for the next consecutive frame (N_Cr)
 * @param maxWaitFrames    flow-control WAIT frames accepted in a row before the send is given up (N_WFTmax)
 * @param maxMessageLength largest message sent or accepted; above 4095 the FF escape length (ISO 15765-2:2016) is used
 */
public record IsoTpOptions(boolean fd, int txDataLength, int padding, int blockSize, int stMin, Duration nBs,
                           Duration nCr, int maxWaitFrames, int maxMessageLength) {
    /** The 12-bit FF_DL limit of classic ISO-TP. */
    public static final int MAX_12BIT_LENGTH = 4095;
    /** Our hard ceiling, also with the escape length: received messages are buffered whole. */
    public static final int MAX_ESCAPE_LENGTH = 1 << 20;

    public static final IsoTpOptions DEFAULT = new IsoTpOptions(false, 8, 0xCC, 0, 0, Duration.ofMillis(1000),
            Duration.ofMillis(1000), 10, MAX_12BIT_LENGTH);

    public IsoTpOptions {
        if (!fd && txDataLength != 8) throw new IllegalArgumentException("classic CAN sends 8 data bytes per frame, not " + txDataLength);
        if (fd && !isFdLength(txDataLength)) throw new IllegalArgumentException(txDataLength + " is not a CAN FD data length (8, 12, 16, 20, 24, 32, 48, 64)");
        if (padding > 0xFF) throw new IllegalArgumentException("padding must be a byte or -1");
        if (blockSize < 0 || blockSize > 0xFF) throw new IllegalArgumentException("block size must be 0..255");
        if (stMin < 0 || stMin > 0xFF) throw new IllegalArgumentException("STmin must be a byte");
        if (maxWaitFrames < 0) throw new IllegalArgumentException("maxWaitFrames must be >= 0");
        if (maxMessageLength < 1 || maxMessageLength > MAX_ESCAPE_LENGTH) throw new IllegalArgumentException("maxMessageLength must be 1.." + MAX_ESCAPE_LENGTH);
        if (nBs == null || nBs.isNegative() || nBs.isZero() || nCr == null || nCr.isNegative() || nCr.isZero()) throw new IllegalArgumentException("N_Bs and N_Cr must be positive");
    }

    /** CAN FD frames of up to 64 data bytes. */
    public IsoTpOptions withFd(int txDataLength) {
        return new IsoTpOptions(true, txDataLength, padding, blockSize, stMin, nBs, nCr, maxWaitFrames, maxMessageLength);
    }

    public IsoTpOptions withPadding(int padding) {
        return new IsoTpOptions(fd, txDataLength, padding, blockSize, stMin, nBs, nCr, maxWaitFrames, maxMessageLength);
    }

    public IsoTpOptions withFlowControl(int blockSize, int stMin) {
        return new IsoTpOptions(fd, txDataLength, padding, blockSize, stMin, nBs, nCr, maxWaitFrames, maxMessageLength);
    }

    public IsoTpOptions withTimeouts(Duration nBs, Duration nCr) {
        return new IsoTpOptions(fd, txDataLength, padding, blockSize, stMin, nBs, nCr, maxWaitFrames, maxMessageLength);
    }

    public IsoTpOptions withMaxWaitFrames(int n) {
        return new IsoTpOptions(fd, txDataLength, padding, blockSize, stMin, nBs, nCr, n, maxMessageLength);
    }

    public IsoTpOptions withMaxMessageLength(int n) {
        return new IsoTpOptions(fd, txDataLength, padding, blockSize, stMin, nBs, nCr, maxWaitFrames, n);
    }

    static boolean isFdLength(int n) {
        return n == 8 || n == 12 || n == 16 || n == 20 || n == 24 || n == 32 || n == 48 || n == 64;
    }

    /** STmin in nanoseconds as ISO 15765-2 defines the byte; reserved values count as the longest, 127 ms. */
    public static long stMinNanos(int stMin) {
        if (stMin <= 0x7F) return stMin * 1_000_000L;
        if (stMin >= 0xF1 && stMin <= 0xF9) return (stMin - 0xF0) * 100_000L;
        return 127_000_000L;
    }
}
