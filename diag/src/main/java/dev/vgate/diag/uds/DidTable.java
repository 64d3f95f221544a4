package dev.vgate.diag.uds;

import dev.vgate.diag.obd.ObdPid;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DIDs vgate knows: the identification DIDs of ISO 14229-1 (VIN F190, software F188/F189, ...), the
 * OBD-style DIDs F400-F4FF that carry mode 01 PIDs (their lengths come from the J1979 PID table, so
 * freeze frames using them can be split), and whatever the configuration adds.
 */
public final class DidTable {
    private final Map<Integer, Did> dids = new TreeMap<>();

    /** The standard identification DIDs. */
    public static DidTable standard() {
        DidTable t = new DidTable();
        t.add(Did.ascii(0xF190, "vin", 17));
        t.add(Did.ascii(0xF187, "spare_part_number", -1));
        t.add(Did.ascii(0xF188, "ecu_software_number", -1));
        t.add(Did.ascii(0xF189, "ecu_software_version", -1));
        t.add(Did.ascii(0xF18A, "system_supplier_id", -1));
        t.add(Did.ascii(0xF18C, "ecu_serial_number", -1));
        t.add(Did.ascii(0xF191, "ecu_hardware_number", -1));
        t.add(Did.ascii(0xF192, "supplier_hardware_number", -1));
        t.add(Did.ascii(0xF194, "supplier_software_number", -1));
        t.add(Did.ascii(0xF197, "system_name", -1));
        return t;
    }

    public DidTable add(Did d) {
        dids.put(d.id(), d);
        return this;
    }

    /** The DID's definition: configured or standard, an OBD PID for F400-F4FF, else null. */
    public Did get(int id) {
        Did d = dids.get(id);
        if (d != null) return d;
        if ((id & 0xFF00) == 0xF400) {
            ObdPid p = ObdPid.of(id & 0xFF);
            if (p != null) return new Did(id, p.name(), p.bytes(), Did.Type.UNSIGNED, p.factor(), p.offset(), p.unit());
        }
        return null;
    }

    /** A definition for any DID: unknown ones are shown as hex with their number as the name. */
    public Did getOrHex(int id) {
        Did d = get(id);
        return d != null ? d : Did.hex(id, String.format("did_%04X", id), -1);
    }

    public Collection<Did> all() { return dids.values(); }
}
