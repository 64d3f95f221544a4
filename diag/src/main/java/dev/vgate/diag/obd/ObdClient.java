package dev.vgate.diag.obd;

import dev.vgate.diag.dtc.Dtc;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OBD-II tester (SAE J1979 over ISO 15765-4): requests go to the functional id 0x7DF (single frames to
 * every emission-related ECU), answers come from 0x7E8-0x7EF, each on its own ISO-TP connection (its flow
 * control goes to 0x7E0-0x7E7), so multi-frame answers (VIN, DTC lists) from several ECUs work at once.
 * A request collects answers until {@code p2} passed without any, or {@code settle} after the last one.
 */
public final class ObdClient implements AutoCloseable {
    public static final int RESPONSE_BASE = 0x7E8, PHYSICAL_BASE = 0x7E0, ECUS = 8;

    /** One ECU's answer. */
    public record Answer(int ecu, byte[] data) {}

    /** One decoded PID value from one ECU. */
    public record PidValue(int ecu, ObdPid pid, double value, byte[] data) {
        /** {@code 0C engine_rpm 1726.5 rpm} */
        public String line() {
            return String.format("%02X %s %s%s", pid.pid(), pid.name(), pid.format(value), pid.unit().isEmpty() ? "" : " " + pid.unit());
        }
    }

    private final IsoTpTransport functional;
    private final List<IsoTpTransport> responders = new ArrayList<>();
    private final Duration p2;
    private final Duration settle;

    public ObdClient(IsoTpNetwork net, IsoTpOptions options, Duration p2, Duration settle) throws IsoTpException {
        this.p2 = p2;
        this.settle = settle;
        try {
            // the answer sockets first: an answer must not arrive before anyone listens
            for (int i = 0; i < ECUS; i++) responders.add(net.open(IsoTpAddress.of(PHYSICAL_BASE + i, RESPONSE_BASE + i), options));
            this.functional = net.open(IsoTpAddress.sendOnly(IsoTpAddress.OBD_FUNCTIONAL), options);
        } catch (IsoTpException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends {@code request} functionally and returns the positive answers (first byte mode + 0x40), lowest
     * ECU id first. Negative answers (0x7F) are logged and left out.
     */
    public synchronized List<Answer> request(byte... request) throws IsoTpException {
        for (IsoTpTransport t : responders) t.discardPending();
        functional.send(request);
        int mode = request[0] & 0xFF;
        long start = System.nanoTime();
        long deadline = start + p2.toNanos();
        Map<Integer, byte[]> got = new TreeMap<>();
        IsoTpException failure = null;
        while (System.nanoTime() < deadline) {
            boolean any = false;
            for (int i = 0; i < ECUS; i++) {
                byte[] r;
                try {
                    r = responders.get(i).receive(Duration.ZERO);
                } catch (IsoTpException e) {
                    failure = e;
                    continue;
                }
                if (r == null) continue;
                any = true;
                if (r.length >= 3 && (r[0] & 0xFF) == 0x7F && (r[1] & 0xFF) == mode) {
                    Logger.debug("obd: ECU {} refused mode {}: NRC 0x{}", Integer.toHexString(RESPONSE_BASE + i), Integer.toHexString(mode), Integer.toHexString(r[2] & 0xFF));
                    got.putIfAbsent(RESPONSE_BASE + i, null);
                } else if (r.length >= 1 && (r[0] & 0xFF) == mode + 0x40) {
                    got.put(RESPONSE_BASE + i, r);
                }
            }
            if (any) {
                // others may still answer (an ECU answers only the PIDs it supports): wait a little longer
                deadline = Math.min(deadline, System.nanoTime() + settle.toNanos());
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
        List<Answer> out = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : got.entrySet()) {
            if (e.getValue() != null) out.add(new Answer(e.getKey(), e.getValue()));
        }
        if (out.isEmpty() && failure != null) throw failure;
        return out;
    }

    /** Mode 01 PIDs 00, 20, 40, ...: the PIDs each ECU supports (bit n set = PID n supported). */
    public Map<Integer, BitSet> supportedPids() throws IsoTpException {
        Map<Integer, BitSet> out = new TreeMap<>();
        for (int base = 0; base <= 0xE0; base += 0x20) {
            boolean more = false;
            for (Answer a : request((byte) 0x01, (byte) base)) {
                byte[] d = a.data();
                if (d.length < 6 || (d[1] & 0xFF) != base) continue;
                BitSet s = out.computeIfAbsent(a.ecu(), k -> new BitSet());
                long bits = ((d[2] & 0xFFL) << 24) | ((d[3] & 0xFF) << 16) | ((d[4] & 0xFF) << 8) | (d[5] & 0xFF);
                for (int b = 0; b < 32; b++) if ((bits & (1L << (31 - b))) != 0) s.set(base + b + 1);
                if ((bits & 1) != 0) more = true; // PID base+0x20 supported: ask for the next bitmap
            }
            if (!more) break;
        }
        return out;
    }

    /** Mode 01: reads each PID and decodes it with the J1979 formula; PIDs without a formula are skipped. */
    public List<PidValue> read(int... pids) throws IsoTpException {
        List<PidValue> out = new ArrayList<>();
        for (int pid : pids) {
            ObdPid def = ObdPid.of(pid);
            if (def == null) throw new IllegalArgumentException(String.format("PID %02X has no formula in vgate (known: %s)", pid, known()));
            for (Answer a : request((byte) 0x01, (byte) pid)) {
                byte[] d = a.data();
                if (d.length < 2 + def.bytes() || (d[1] & 0xFF) != pid) {
                    Logger.warn("obd: ECU {} answered PID {} with {} bytes (needs {})", Integer.toHexString(a.ecu()), String.format("%02X", pid), d.length, 2 + def.bytes());
                    continue;
                }
                out.add(new PidValue(a.ecu(), def, def.decode(d, 2), java.util.Arrays.copyOfRange(d, 2, 2 + def.bytes())));
            }
        }
        return out;
    }

    private static String known() {
        StringBuilder sb = new StringBuilder();
        for (ObdPid p : ObdPid.all()) sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02X", p.pid()));
        return sb.toString();
    }

    /** Mode 03 (stored), 07 (pending) or 0A (permanent) DTCs per ECU; the status byte reports which mode found it. */
    public Map<Integer, List<Dtc>> dtcs(int mode) throws IsoTpException {
        if (mode != 0x03 && mode != 0x07 && mode != 0x0A) throw new IllegalArgumentException("DTC modes are 03, 07 and 0A, not " + mode);
        // a stored DTC is confirmed (bit 3), a pending one pending (bit 2); permanent: confirmed too
        int status = mode == 0x07 ? 0x04 : 0x08;
        Map<Integer, List<Dtc>> out = new TreeMap<>();
        for (Answer a : request((byte) mode)) {
            byte[] d = a.data();
            List<Dtc> list = new ArrayList<>();
            // ISO 15765-4: a count byte follows the mode byte; pairs of 00 00 are padding
            for (int i = 2; i + 1 < d.length; i += 2) {
                if (d[i] == 0 && d[i + 1] == 0) continue;
                list.add(Dtc.ofObd(d[i], d[i + 1], status));
            }
            out.put(a.ecu(), list);
        }
        return out;
    }

    /** Mode 04: clears the emission-related DTCs; returns the ECUs that confirmed. */
    public List<Integer> clearDtcs() throws IsoTpException {
        List<Integer> ecus = new ArrayList<>();
        for (Answer a : request((byte) 0x04)) ecus.add(a.ecu());
        return ecus;
    }

    /** Mode 09 PID 02: the VIN per ECU. */
    public Map<Integer, String> vin() throws IsoTpException {
        Map<Integer, String> out = new TreeMap<>();
        for (Answer a : request((byte) 0x09, (byte) 0x02)) {
            byte[] d = a.data();
            if (d.length < 4 || (d[1] & 0xFF) != 0x02) continue;
            out.put(a.ecu(), new String(d, 3, d.length - 3, StandardCharsets.US_ASCII).replace("\0", "").strip());
        }
        return out;
    }

    @Override public void close() {
        if (functional != null) functional.close();
        for (IsoTpTransport t : responders) t.close();
    }
}
