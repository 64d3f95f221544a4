package dev.vgate.diag.sim;

import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated ECU for tests: answers UDS (0x10, 0x3E, 0x22, 0x19 01/02/04/06, 0x14) on its physical ids and
 * OBD-II (modes 01, 03, 04, 07, 09, 0A) on the functional id 0x7DF, over any {@link IsoTpNetwork} (kernel
 * ISO-TP sockets on vcan, or the Java state machine on a virtual bus). What it answers is configurable
 * while it runs: DTCs with snapshot and extended data, DIDs, PIDs, response-pending counts, negative
 * responses and silence per service.
 */
public final class EcuSimulator implements AutoCloseable {
    /** One stored DTC: 3-byte code, status byte, snapshot records (as 0x19 04 carries them after the status), extended data. */
    public record SimDtc(int code, int status, byte[] snapshot, byte[] extendedData) {}

    private final IsoTpTransport physical;
    private final IsoTpTransport functional;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public final List<SimDtc> dtcs = new CopyOnWriteArrayList<>();
    public final Map<Integer, byte[]> dids = new ConcurrentHashMap<>();
    public final Map<Integer, byte[]> pids = new ConcurrentHashMap<>();
    /** Service id -> number of "response pending" (NRC 0x78) answers before the real one. */
    public final Map<Integer, Integer> pending = new ConcurrentHashMap<>();
    /** Service id -> negative response code to answer with. */
    public final Map<Integer, Integer> negative = new ConcurrentHashMap<>();
    /** Service ids this ECU does not answer at all. */
    public final Set<Integer> silent = ConcurrentHashMap.newKeySet();
    public volatile Duration pendingDelay = Duration.ofMillis(100);
    public volatile String vin = "WVGZZZ1TZBW000001";
    public volatile int session = 1;
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger testerPresents = new AtomicInteger();
    public final List<String> errors = new CopyOnWriteArrayList<>();

    /**
     * @param requestId  where testers send (0x7E0 ...); the simulator answers on {@code responseId}
     * @param obd        also answer OBD requests on the functional id 0x7DF
     */
    public EcuSimulator(IsoTpNetwork net, int requestId, int responseId, IsoTpOptions options, boolean obd) throws IsoTpException {
        this(net, IsoTpAddress.of(responseId, requestId), options, obd);
    }

    /** @param address as the ECU sees it: tx = its response id, rx = the tester's request id */
    public EcuSimulator(IsoTpNetwork net, IsoTpAddress address, IsoTpOptions options, boolean obd) throws IsoTpException {
        physical = net.open(address, options);
        functional = obd ? net.open(new IsoTpAddress(address.txId(), IsoTpAddress.OBD_FUNCTIONAL, false, -1, -1), options) : null;
        start(physical, "ecu-sim-" + Integer.toHexString(address.txId()));
        if (functional != null) start(functional, "ecu-sim-obd-" + Integer.toHexString(address.txId()));
    }

    private void start(IsoTpTransport t, String name) {
        Thread th = new Thread(() -> serve(t), name);
        th.setDaemon(true);
        threads.add(th);
        th.start();
    }

    private void serve(IsoTpTransport t) {
        while (running) {
            try {
                byte[] req = t.receive(Duration.ofMillis(100));
                if (req == null || req.length == 0) continue;
                requests.incrementAndGet();
                // functional requests too are answered on the physical connection: the tester's flow control
                // for a multi-frame answer comes to the ECU's physical request id
                answer(physical, req);
            } catch (IsoTpException e) {
                if (!running) return;
                errors.add(e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void answer(IsoTpTransport t, byte[] req) throws IsoTpException, InterruptedException {
        int sid = req[0] & 0xFF;
        if (sid == 0x3E) testerPresents.incrementAndGet();
        if (silent.contains(sid)) return;
        Integer nrc = negative.get(sid);
        if (nrc != null) {
            t.send(new byte[] {0x7F, (byte) sid, (byte) (int) nrc});
            return;
        }
        int pend = pending.getOrDefault(sid, 0);
        for (int i = 0; i < pend; i++) {
            t.send(new byte[] {0x7F, (byte) sid, 0x78});
            Thread.sleep(pendingDelay.toMillis());
        }
        byte[] r = response(req);
        if (r != null) t.send(r);
    }

    private byte[] response(byte[] q) {
        int sid = q[0] & 0xFF;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(sid + 0x40);
        switch (sid) {
            case 0x10 -> {
                if (q.length < 2) return nrc(sid, 0x13);
                session = q[1] & 0x7F;
                out.write(q[1]);
                out.writeBytes(new byte[] {0x00, 0x32, 0x01, (byte) 0xF4}); // P2 50 ms, P2* 5000 ms
            }
            case 0x3E -> {
                if ((q.length > 1 && (q[1] & 0x80) != 0)) return null; // suppress positive response
                out.write(0);
            }
            case 0x22 -> {
                if (q.length != 3) return nrc(sid, 0x13);
                int did = ((q[1] & 0xFF) << 8) | (q[2] & 0xFF);
                byte[] v = did == 0xF190 ? vin.getBytes(StandardCharsets.US_ASCII) : dids.get(did);
                if (v == null) return nrc(sid, 0x31);
                out.write(q[1]);
                out.write(q[2]);
                out.writeBytes(v);
            }
            case 0x19 -> {
                if (q.length < 2) return nrc(sid, 0x13);
                int sub = q[1] & 0xFF;
                out.write(sub);
                switch (sub) {
                    case 0x01 -> {
                        int mask = q[2] & 0xFF;
                        int n = (int) dtcs.stream().filter(d -> (d.status() & mask) != 0).count();
                        out.writeBytes(new byte[] {(byte) 0xFF, 0x01, (byte) (n >> 8), (byte) n});
                    }
                    case 0x02 -> {
                        int mask = q[2] & 0xFF;
                        out.write(0xFF);
                        for (SimDtc d : dtcs) {
                            if ((d.status() & mask) == 0) continue;
                            out.writeBytes(new byte[] {(byte) (d.code() >> 16), (byte) (d.code() >> 8), (byte) d.code(), (byte) d.status()});
                        }
                    }
                    case 0x04, 0x06 -> {
                        if (q.length != 6) return nrc(sid, 0x13);
                        int code = ((q[2] & 0xFF) << 16) | ((q[3] & 0xFF) << 8) | (q[4] & 0xFF);
                        SimDtc d = dtcs.stream().filter(x -> x.code() == code).findFirst().orElse(null);
                        if (d == null) return nrc(sid, 0x31);
                        out.writeBytes(new byte[] {q[2], q[3], q[4], (byte) d.status()});
                        byte[] extra = sub == 0x04 ? d.snapshot() : d.extendedData();
                        if (extra != null) out.writeBytes(extra);
                    }
                    default -> {
                        return nrc(sid, 0x12);
                    }
                }
            }
            case 0x14 -> {
                if (q.length != 4) return nrc(sid, 0x13);
                int group = ((q[1] & 0xFF) << 16) | ((q[2] & 0xFF) << 8) | (q[3] & 0xFF);
                if (group == 0xFFFFFF) dtcs.clear();
                else dtcs.removeIf(d -> d.code() == group);
            }
            // ---- OBD-II (J1979)
            case 0x01 -> {
                if (q.length < 2) return null;
                int pid = q[1] & 0xFF;
                out.write(pid);
                if ((pid & 0x1F) == 0) {
                    long bits = 0;
                    for (int p : pids.keySet()) if (p > pid && p <= pid + 0x20) bits |= 1L << (31 - (p - pid - 1));
                    boolean more = pids.keySet().stream().anyMatch(p -> p > pid + 0x20);
                    if (more) bits |= 1;
                    if (bits == 0 && pid != 0) return null;
                    out.writeBytes(new byte[] {(byte) (bits >> 24), (byte) (bits >> 16), (byte) (bits >> 8), (byte) bits});
                } else {
                    byte[] v = pids.get(pid);
                    if (v == null) return null; // unsupported PIDs get no answer
                    out.writeBytes(v);
                }
            }
            case 0x03, 0x07, 0x0A -> {
                int bit = sid == 0x07 ? 0x04 : 0x08;
                List<SimDtc> list = dtcs.stream().filter(d -> (d.status() & bit) != 0).toList();
                out.write(list.size());
                for (SimDtc d : list) out.writeBytes(new byte[] {(byte) (d.code() >> 16), (byte) (d.code() >> 8)});
            }
            case 0x04 -> dtcs.clear();
            case 0x09 -> {
                if (q.length < 2 || q[1] != 0x02) return null;
                out.writeBytes(new byte[] {0x02, 0x01});
                out.writeBytes(vin.getBytes(StandardCharsets.US_ASCII));
            }
            default -> {
                return nrc(sid, 0x11);
            }
        }
        return out.toByteArray();
    }

    private static byte[] nrc(int sid, int code) {
        return new byte[] {0x7F, (byte) sid, (byte) code};
    }

    /** A snapshot record as 0x19 04 carries it: record number, DID count, then each DID and its bytes. */
    public static byte[] snapshot(int record, Object... didThenBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(record);
        out.write(didThenBytes.length / 2);
        for (int i = 0; i < didThenBytes.length; i += 2) {
            int did = (Integer) didThenBytes[i];
            out.write(did >> 8);
            out.write(did);
            out.writeBytes((byte[]) didThenBytes[i + 1]);
        }
        return out.toByteArray();
    }

    @Override public void close() {
        running = false;
        for (Thread t : threads) t.interrupt();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        physical.close();
        if (functional != null) functional.close();
    }
}
