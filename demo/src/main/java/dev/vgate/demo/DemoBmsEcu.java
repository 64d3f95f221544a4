package dev.vgate.demo;

import dev.vgate.canbus.VirtualBus;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpAddress;
import dev.vgate.diag.isotp.IsoTpException;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.isotp.IsoTpTransport;

import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * The demo car's battery ECU as a diagnostic tester sees it: UDS on 0x7E4/0x7EC over the Java ISO-TP state
 * machine on the demo's virtual bus. Once it has opened the contactors for over-temperature it stores DTC
 * P0A7E ("hybrid/EV battery pack over temperature", status 0x2F) with a freeze frame of vehicle speed and
 * pack temperature, and answers ReadDTCInformation 0x02/0x04 and ClearDiagnosticInformation.
 */
final class DemoBmsEcu implements AutoCloseable {
    static final int REQUEST_ID = 0x7E4, RESPONSE_ID = 0x7EC;
    private static final int DTC = 0x0A7E00, STATUS = 0x2F;

    private final IsoTpTransport transport;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean stored;
    private volatile int speedKmh, packTempC;

    DemoBmsEcu(VirtualBus bus) throws IsoTpException {
        transport = ChannelIsoTpNetwork.on(bus).open(IsoTpAddress.of(RESPONSE_ID, REQUEST_ID), IsoTpOptions.DEFAULT);
        thread = new Thread(this::serve, "demo-bms-uds");
        thread.setDaemon(true);
        thread.start();
    }

    /** The contactors opened for over-temperature: the fault is stored with the conditions of the moment. */
    void overTemperature(int speedKmh, int packTempC) {
        this.speedKmh = speedKmh;
        this.packTempC = packTempC;
        stored = true;
    }

    private void serve() {
        while (running) {
            try {
                byte[] q = transport.receive(Duration.ofMillis(200));
                if (q != null && q.length > 0) transport.send(answer(q));
            } catch (IsoTpException e) {
                if (!running) return;
            }
        }
    }

    private byte[] answer(byte[] q) {
        int sid = q[0] & 0xFF;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(sid + 0x40);
        if (sid == 0x19 && q.length >= 3 && q[1] == 0x02) {
            out.writeBytes(new byte[] {0x02, (byte) 0xFF});
            if (stored && (STATUS & q[2]) != 0) out.writeBytes(new byte[] {0x0A, 0x7E, 0x00, (byte) STATUS});
        } else if (sid == 0x19 && q.length == 6 && q[1] == 0x04 && stored && (((q[2] & 0xFF) << 16) | ((q[3] & 0xFF) << 8) | (q[4] & 0xFF)) == DTC) {
            // record 1: DID F40D (vehicle speed, as J1979 PID 0D) and 4001 (pack temperature, A - 40: diag.dids in the config)
            out.writeBytes(new byte[] {0x04, 0x0A, 0x7E, 0x00, (byte) STATUS, 0x01, 0x02,
                    (byte) 0xF4, 0x0D, (byte) speedKmh, 0x40, 0x01, (byte) (packTempC + 40)});
        } else if (sid == 0x14 && q.length == 4) {
            stored = false;
        } else {
            return new byte[] {0x7F, (byte) sid, sid == 0x19 ? (byte) 0x31 : 0x11};
        }
        return out.toByteArray();
    }

    @Override public void close() {
        running = false;
        thread.interrupt();
        transport.close();
    }
}
