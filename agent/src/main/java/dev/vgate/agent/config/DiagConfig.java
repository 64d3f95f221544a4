package dev.vgate.agent.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Vehicle diagnostics (the {@code diag:} section, docs/diag.md): which ECUs vgate talks UDS to on which
 * bus, the DIDs it knows, the OBD-II PIDs it polls into telemetry, and how often it reads the DTCs.
 *
 * @param bus     name of a configured socketcan or virtual bus (kernel ISO-TP on socketcan, the Java state
 *                machine on a virtual bus)
 * @param isotp   frame format and flow control
 * @param p2      how long to wait for an answer
 * @param p2Star  how long to wait after each "response pending"
 * @param ecus    UDS ECUs, by name
 * @param dids    extra DIDs (beyond the ISO 14229-1 identification DIDs) for {@code did read} and freeze frames
 * @param obd     OBD-II PID polling (null: none)
 * @param dtc     DTC polling (null: DTCs are read on demand only)
 */
public record DiagConfig(String bus, IsoTp isotp, Duration p2, Duration p2Star, List<Ecu> ecus, List<DidDef> dids,
                         Obd obd, DtcPoll dtc) {
    public static final Duration DEFAULT_P2 = Duration.ofMillis(1000);
    public static final Duration DEFAULT_P2_STAR = Duration.ofMillis(5000);

    public DiagConfig {
        ecus = ecus == null ? List.of() : List.copyOf(ecus);
        dids = dids == null ? List.of() : List.copyOf(dids);
        if (isotp == null) isotp = IsoTp.DEFAULT;
    }

    /** One UDS ECU: physical request and response ids (29-bit when above 0x7FF). */
    public record Ecu(String name, int requestId, int responseId) {}

    /** A DID definition: type ascii, hex or unsigned (with factor, offset and unit). */
    public record DidDef(int id, String name, int length, String type, double factor, double offset, String unit) {}

    /** @param padding the fill byte, or -1 for none */
    public record IsoTp(boolean fd, int txDataLength, int padding, int blockSize, int stMin) {
        public static final IsoTp DEFAULT = new IsoTp(false, 8, 0xCC, 0, 0);
    }

    /**
     * @param pids     mode 01 PIDs to poll (functional 0x7DF)
     * @param interval one polling round of every PID
     * @param busName  the bus name the values appear on in telemetry and rules ({@code obd.engine_rpm})
     */
    public record Obd(List<Integer> pids, Duration interval, String busName) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
        public static final String DEFAULT_BUS_NAME = "obd";

        public Obd {
            pids = pids == null ? List.of() : List.copyOf(pids);
        }
    }

    /**
     * @param interval    how often every ECU's DTCs are read
     * @param mask        the status mask of 0x19 0x02
     * @param freezeFrame whether a new DTC's snapshot records are read and uploaded with it
     */
    public record DtcPoll(Duration interval, int mask, boolean freezeFrame) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    }

    /** Cross-field checks; every problem names its field. */
    void validate(VgateConfig c, List<String> problems) {
        BusConfig b = c.buses().stream().filter(x -> x.name() != null && x.name().equals(bus)).findFirst().orElse(null);
        if (bus == null) problems.add("diag.bus: required: the name of a socketcan or virtual bus");
        else if (b == null) problems.add("diag.bus: no bus named '" + bus + "'");
        else if (b.kind() == BusKind.REPLAY) problems.add("diag.bus: '" + bus + "' is a replay bus, which cannot transmit requests");
        if (p2.isNegative() || p2.isZero() || p2Star.compareTo(p2) < 0) problems.add("diag.p2: must be positive and at most p2_star");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ecus.size(); i++) {
            Ecu e = ecus.get(i);
            String p = "diag.ecus[" + i + "]";
            if (e.name() == null || e.name().isBlank()) problems.add(p + ".name: required");
            else if (!e.name().matches("[A-Za-z0-9_-]{1,32}")) problems.add(p + ".name: letters, digits, _ and - only (1-32)");
            else if (!names.add(e.name())) problems.add(p + ".name: '" + e.name() + "' is used twice");
            for (int[] idv : new int[][] {{e.requestId(), 0}, {e.responseId(), 1}}) {
                if (idv[0] < 0 || idv[0] > 0x1FFFFFFF) problems.add(p + (idv[1] == 0 ? ".request_id" : ".response_id") + ": required, a CAN id (0x0-0x1FFFFFFF)");
            }
            if (e.requestId() == e.responseId() && e.requestId() >= 0) problems.add(p + ": request_id and response_id must differ");
        }
        if (!isotp.fd() && isotp.txDataLength() != 8) problems.add("diag.isotp.tx_data_length: classic CAN sends 8 bytes per frame (set fd: true for more)");
        if (isotp.fd() && !List.of(8, 12, 16, 20, 24, 32, 48, 64).contains(isotp.txDataLength())) {
            problems.add("diag.isotp.tx_data_length: not a CAN FD length (8, 12, 16, 20, 24, 32, 48, 64)");
        }
        if (isotp.padding() < -1 || isotp.padding() > 0xFF) problems.add("diag.isotp.padding: a byte (0x00-0xFF) or none");
        if (isotp.blockSize() < 0 || isotp.blockSize() > 0xFF) problems.add("diag.isotp.block_size: 0-255");
        if (isotp.stMin() < 0 || isotp.stMin() > 0xFF) problems.add("diag.isotp.st_min: a byte (0x00-0x7F ms, 0xF1-0xF9 = 100-900 us)");
        Set<Integer> didIds = new HashSet<>();
        for (int i = 0; i < dids.size(); i++) {
            DidDef d = dids.get(i);
            String p = "diag.dids[" + i + "]";
            try {
                dev.vgate.agent.daemon.DiagPart.did(d);
            } catch (IllegalArgumentException ex) {
                problems.add(p + ": " + ex.getMessage());
            }
            if (!didIds.add(d.id())) problems.add(p + ".id: DID 0x" + Integer.toHexString(d.id()) + " defined twice");
        }
        if (obd != null) {
            if (obd.pids().isEmpty()) problems.add("diag.obd.pids: at least one PID (hex, e.g. 0C)");
            for (int i = 0; i < obd.pids().size(); i++) {
                int pid = obd.pids().get(i);
                if (dev.vgate.diag.obd.ObdPid.of(pid) == null) {
                    problems.add("diag.obd.pids[" + i + "]: PID " + String.format("%02X", pid) + " has no formula in vgate (docs/diag.md lists them)");
                }
            }
            if (obd.interval().compareTo(Duration.ofMillis(100)) < 0) problems.add("diag.obd.interval: at least 100ms");
            String bn = obd.busName();
            if (bn == null || !bn.matches("[A-Za-z0-9_-]{1,32}")) problems.add("diag.obd.bus_name: letters, digits, _ and - only (1-32)");
            else if (c.buses().stream().anyMatch(x -> bn.equals(x.name()))) problems.add("diag.obd.bus_name: '" + bn + "' is the name of a CAN bus already");
        }
        if (dtc != null) {
            if (ecus.isEmpty()) problems.add("diag.dtc: needs at least one ECU in diag.ecus");
            if (dtc.interval().compareTo(Duration.ofSeconds(1)) < 0) problems.add("diag.dtc.interval: at least 1s");
            if (dtc.mask() < 1 || dtc.mask() > 0xFF) problems.add("diag.dtc.mask: 0x01-0xFF");
        }
    }
}
