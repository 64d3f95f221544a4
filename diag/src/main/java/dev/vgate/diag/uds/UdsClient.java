package dev.vgate.diag.uds;

import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpTransport;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDS (ISO 14229-1) tester for one ECU over one ISO-TP connection: one request at a time, answered within
 * P2 (or P2* after each "response pending", NRC 0x78, up to {@link Timing#maxPending()} times); answers to
 * other requests (late ones) are skipped. While a non-default session is open, TesterPresent (0x3E with
 * the suppress-positive-response bit) keeps it alive every {@link Timing#testerPresent()}.
 */
public final class UdsClient implements AutoCloseable {
    public static final int SID_SESSION = 0x10, SID_CLEAR_DTC = 0x14, SID_READ_DTC = 0x19, SID_READ_DID = 0x22, SID_TESTER_PRESENT = 0x3E;
    public static final int SESSION_DEFAULT = 0x01, SESSION_PROGRAMMING = 0x02, SESSION_EXTENDED = 0x03;

    /**
     * @param p2            how long to wait for the answer (or the first response-pending)
     * @param p2Star        how long to wait after each response-pending (NRC 0x78)
     * @param testerPresent the keep-alive period in a non-default session (below the ECU's S3 of 5 s)
     * @param maxPending    response-pendings accepted for one request before it is given up
     */
    public record Timing(Duration p2, Duration p2Star, Duration testerPresent, int maxPending) {
        public static final Timing DEFAULT = new Timing(Duration.ofMillis(1000), Duration.ofMillis(5000), Duration.ofSeconds(2), 30);

        public Timing withP2(Duration p2, Duration p2Star) { return new Timing(p2, p2Star, testerPresent, maxPending); }
    }

    /** 0x19 0x01: how many DTCs match a status mask. */
    public record DtcCount(int availabilityMask, int format, int count) {}

    /** One DID of a snapshot (freeze-frame) record, with its definition. */
    public record DidValue(Did did, byte[] value) {
        public String text() { return did.name() + "=" + did.format(value); }
    }

    /** 0x19 0x04: one snapshot record of a DTC. */
    public record Snapshot(int record, List<DidValue> values) {}

    private final IsoTpTransport transport;
    private final DidTable dids;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Timing timing;
    private ScheduledExecutorService keeper;
    private ScheduledFuture<?> keepAlive;
    private volatile int session = SESSION_DEFAULT;
    private volatile boolean closed;

    public UdsClient(IsoTpTransport transport, DidTable dids, Timing timing) {
        this.transport = transport;
        this.dids = dids;
        this.timing = timing;
    }

    public IsoTpTransport transport() { return transport; }

    public DidTable dids() { return dids; }

    public int session() { return session; }

    /**
     * Sends {@code request} and returns the positive response (first byte SID + 0x40).
     *
     * @throws UdsException a negative response (by name), no answer within P2/P2*, or a transport failure
     */
    public byte[] request(byte... request) throws UdsException {
        if (request.length == 0) throw new IllegalArgumentException("empty request");
        int sid = request[0] & 0xFF;
        lock.lock();
        try {
            if (closed) throw new UdsException(UdsException.Kind.TRANSPORT, sid, -1, "UDS client for " + transport.address() + " is closed", null);
            transport.discardPending();
            transport.send(request);
            Timing t = timing;
            long deadline = System.nanoTime() + t.p2().toNanos();
            int pending = 0;
            while (true) {
                long left = deadline - System.nanoTime();
                byte[] r = left <= 0 ? null : transport.receive(Duration.ofNanos(left));
                if (r == null) {
                    throw new UdsException(UdsException.Kind.NO_RESPONSE, sid, -1, String.format(Locale.ROOT,
                            "no response to service 0x%02X from %s within %d ms%s", sid, transport.address(),
                            (pending == 0 ? t.p2() : t.p2Star()).toMillis(), pending == 0 ? " (P2)" : " (P2* after response pending)"), null);
                }
                if (r.length >= 3 && (r[0] & 0xFF) == 0x7F && (r[1] & 0xFF) == sid) {
                    int nrc = r[2] & 0xFF;
                    if (nrc == NegativeResponse.RESPONSE_PENDING) {
                        if (++pending > t.maxPending()) {
                            throw new UdsException(UdsException.Kind.NO_RESPONSE, sid, -1, String.format(Locale.ROOT,
                                    "service 0x%02X: still pending after %d response-pending answers from %s", sid, t.maxPending(), transport.address()), null);
                        }
                        deadline = System.nanoTime() + t.p2Star().toNanos();
                        continue;
                    }
                    throw UdsException.negative(sid, nrc);
                }
                if (r.length >= 1 && (r[0] & 0xFF) == sid + 0x40) return r;
                Logger.debug("uds {}: skipped an answer not to service 0x{}: {}", transport.address(), Integer.toHexString(sid), hex(r));
            }
        } catch (IsoTpException e) {
            throw new UdsException(UdsException.Kind.TRANSPORT, sid, -1, String.format(Locale.ROOT, "service 0x%02X: %s", sid, e.getMessage()), e);
        } finally {
            lock.unlock();
        }
    }

    /** 0x10: opens {@code session}; takes the ECU's P2/P2* from the answer; starts or stops TesterPresent. */
    public byte[] sessionControl(int session) throws UdsException {
        byte[] r = call(SID_SESSION, session);
        if (r.length >= 6) {
            int p2 = ((r[2] & 0xFF) << 8) | (r[3] & 0xFF);
            int p2s = (((r[4] & 0xFF) << 8) | (r[5] & 0xFF)) * 10;
            // the ECU's own limits, plus our side's margin: never below what was configured
            Timing t = timing;
            timing = t.withP2(max(t.p2(), Duration.ofMillis(p2 + 50L)), max(t.p2Star(), Duration.ofMillis(p2s + 500L)));
        }
        this.session = session;
        synchronized (this) {
            if (session == SESSION_DEFAULT) {
                stopKeepAlive();
            } else if (keepAlive == null) {
                if (keeper == null) {
                    keeper = Executors.newSingleThreadScheduledExecutor(r2 -> {
                        Thread th = new Thread(r2, "uds-tester-present-" + transport.address().txId());
                        th.setDaemon(true);
                        return th;
                    });
                }
                long ms = timing.testerPresent().toMillis();
                keepAlive = keeper.scheduleAtFixedRate(this::keepAliveTick, ms, ms, TimeUnit.MILLISECONDS);
            }
        }
        return r;
    }

    private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }

    private void keepAliveTick() {
        // only between requests: a request in flight keeps the session alive by itself
        if (!lock.tryLock()) return;
        try {
            if (!closed) transport.send(new byte[] {(byte) SID_TESTER_PRESENT, (byte) 0x80});
        } catch (IsoTpException e) {
            Logger.warn("uds {}: TesterPresent failed: {}", transport.address(), e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    /** 0x3E 0x00: TesterPresent with an answer (checks that the ECU is there). */
    public void testerPresent() throws UdsException {
        call(SID_TESTER_PRESENT, 0);
    }

    /** 0x22: the value bytes of one DID. */
    public byte[] readDid(int did) throws UdsException {
        byte[] r = call(SID_READ_DID, (did >> 8), did);
        if (r.length < 3 || (((r[1] & 0xFF) << 8) | (r[2] & 0xFF)) != did) {
            throw invalid(SID_READ_DID, String.format(Locale.ROOT, "answer is not for DID %04X: %s", did, hex(r)));
        }
        return Arrays.copyOfRange(r, 3, r.length);
    }

    /** 0x19 0x01: number of DTCs matching {@code mask}. */
    public DtcCount readDtcCount(int mask) throws UdsException {
        byte[] r = call(SID_READ_DTC, 0x01, mask);
        if (r.length < 6) throw invalid(SID_READ_DTC, "reportNumberOfDTCByStatusMask answer too short: " + hex(r));
        return new DtcCount(r[2] & 0xFF, r[3] & 0xFF, ((r[4] & 0xFF) << 8) | (r[5] & 0xFF));
    }

    /** 0x19 0x02: the DTCs whose status matches {@code mask}. */
    public List<Dtc> readDtcs(int mask) throws UdsException {
        byte[] r = call(SID_READ_DTC, 0x02, mask);
        if (r.length < 3 || (r.length - 3) % 4 != 0) throw invalid(SID_READ_DTC, "reportDTCByStatusMask answer of " + r.length + " bytes is not 3 + 4n: " + hex(r));
        List<Dtc> out = new ArrayList<>();
        for (int i = 3; i < r.length; i += 4) {
            out.add(new Dtc(((r[i] & 0xFF) << 16) | ((r[i + 1] & 0xFF) << 8) | (r[i + 2] & 0xFF), r[i + 3] & 0xFF));
        }
        return out;
    }

    /** 0x19 0x04: the snapshot (freeze-frame) records of a DTC ({@code record} 0xFF = all), split by the DID table. */
    public List<Snapshot> readSnapshots(int dtc, int record) throws UdsException {
        byte[] r = call(SID_READ_DTC, 0x04, (dtc >> 16), (dtc >> 8), dtc, record);
        if (r.length < 6) throw invalid(SID_READ_DTC, "reportDTCSnapshotRecordByDTCNumber answer too short: " + hex(r));
        List<Snapshot> out = new ArrayList<>();
        int i = 6;
        while (i < r.length) {
            if (i + 2 > r.length) throw invalid(SID_READ_DTC, "snapshot record truncated at byte " + i + ": " + hex(r));
            int rec = r[i] & 0xFF;
            int count = r[i + 1] & 0xFF;
            i += 2;
            List<DidValue> values = new ArrayList<>();
            for (int k = 0; k < count && i < r.length; k++) {
                if (i + 2 > r.length) throw invalid(SID_READ_DTC, "snapshot DID truncated at byte " + i + ": " + hex(r));
                int id = ((r[i] & 0xFF) << 8) | (r[i + 1] & 0xFF);
                i += 2;
                Did d = dids.getOrHex(id);
                // a DID of unknown length takes the rest: the record cannot be split further
                int len = d.length() < 0 ? r.length - i : d.length();
                if (i + len > r.length) throw invalid(SID_READ_DTC, String.format(Locale.ROOT, "snapshot DID %04X needs %d bytes, %d left", id, len, r.length - i));
                values.add(new DidValue(d, Arrays.copyOfRange(r, i, i + len)));
                i += len;
            }
            out.add(new Snapshot(rec, values));
        }
        return out;
    }

    /** 0x19 0x06: the extended data records of a DTC ({@code record} 0xFF = all), as record number -> bytes. */
    public Map<Integer, byte[]> readExtendedData(int dtc, int record) throws UdsException {
        byte[] r = call(SID_READ_DTC, 0x06, (dtc >> 16), (dtc >> 8), dtc, record);
        if (r.length < 6) throw invalid(SID_READ_DTC, "reportDTCExtDataRecordByDTCNumber answer too short: " + hex(r));
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        // without the ECU's record layout one record is whatever follows its number (a single record when asked for one)
        if (r.length > 6) out.put(r[6] & 0xFF, Arrays.copyOfRange(r, 7, r.length));
        return out;
    }

    /** 0x14: clears the DTCs of {@code group} (0xFFFFFF = all). */
    public void clearDtcs(int group) throws UdsException {
        call(SID_CLEAR_DTC, (group >> 16), (group >> 8), group);
    }

    /** {@link #request} with the bytes given as ints (each taken modulo 256). */
    private byte[] call(int... b) throws UdsException {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return request(r);
    }

    private UdsException invalid(int sid, String message) {
        return new UdsException(UdsException.Kind.INVALID_RESPONSE, sid, -1, transport.address() + ": " + message, null);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format(Locale.ROOT, "%02X", x & 0xFF));
        return sb.toString();
    }

    /** Stops TesterPresent; the transport stays open (its owner closes it). */
    @Override public void close() {
        closed = true;
        synchronized (this) {
            stopKeepAlive();
            if (keeper != null) keeper.shutdownNow();
        }
    }
}
