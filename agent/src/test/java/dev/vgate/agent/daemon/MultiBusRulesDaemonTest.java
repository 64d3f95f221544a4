package dev.vgate.agent.daemon;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.canbus.CanChannel;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.ota.OtaListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's rules over two buses: powertrain (the demo DBC, which defines BMS_Command) and charging (a
 * small test DBC with EVSE_Status/EVSE_Command; its ChargerTemp is also a demo DBC signal).
 */
class MultiBusRulesDaemonTest {
    private static final int BMS_COMMAND = 0x301, EVSE_STATUS = 0x600, EVSE_COMMAND = 0x601;

    @TempDir Path dir;
    private final VirtualBus powertrain = new VirtualBus("can0");
    private final VirtualBus charging = new VirtualBus("can1");
    private final List<CanChannel> listeners = new ArrayList<>();
    private VgateDaemon daemon;

    @AfterEach void stop() {
        if (daemon != null) daemon.stop();
        listeners.forEach(CanChannel::close);
    }

    @Test void aRuleReadsTheChargingBusAndCutsOffOnThePowertrainBus() throws Exception {
        BlockingQueue<CanFrame> onPowertrain = listen(powertrain), onCharging = listen(charging);
        start("""
                rules:
                  - name: cable-hot-cutoff
                    when: CableTemp > 60 degC
                    actions:
                      - can: { message: BMS_Command, signals: { ContactorRequest: OPEN, CutoffReason: 7 } }
                """);
        charging.inject(evseStatus(25)); // cool: nothing
        charging.inject(evseStatus(80));

        CanFrame cutoff = next(onPowertrain, BMS_COMMAND, 2000);
        assertNotNull(cutoff, "the cutoff frame on the powertrain bus, the bus whose DBC defines BMS_Command");
        assertEquals(1, cutoff.data()[0] & 0x03, "ContactorRequest OPEN");
        assertEquals(7, cutoff.data()[3], "CutoffReason");
        assertNull(next(onCharging, BMS_COMMAND, 200), "nothing of it on the charging bus");
        assertEquals("running", service("rules").get("state"));
    }

    @Test void aDebounceEndsOnTheTimerWhenTheBusGoesQuiet() throws Exception {
        BlockingQueue<CanFrame> onCharging = listen(charging);
        start("""
                rules:
                  - name: cable-hot-stop
                    when: charging.EVSE_Status.CableTemp > 60 degC for 200ms
                    actions:
                      - can: { message: EVSE_Command, signals: { StopCharging: 1 } }
                """);
        long sent = System.nanoTime();
        charging.inject(evseStatus(80)); // the only frame: afterwards both buses are silent

        CanFrame stop = next(onCharging, EVSE_COMMAND, 2000);
        long ms = (System.nanoTime() - sent) / 1_000_000;
        assertNotNull(stop, "the debounced rule fired on the timer tick although no frame followed");
        assertEquals(1, stop.data()[0] & 1, "StopCharging");
        assertTrue(ms >= 150, "not before the 200 ms debounce ran out: " + ms + " ms");
    }

    @Test void aSignalOnTwoBusesMustBeQualifiedAndTheDaemonDoesNotStartWithoutItsRules() throws Exception {
        // the constructor throws (assertThrows): no daemon runs without the safety rules it was configured with
        DaemonException e = assertThrows(DaemonException.class, () -> start("""
                rules:
                  - name: charger-hot
                    when: ChargerTemp > 60 degC
                    actions:
                      - alert: { severity: warning }
                """));
        String error = e.getMessage();
        assertTrue(error.startsWith("rules " + dir.resolve("rules.yaml")), error);
        assertTrue(error.contains("rule 'charger-hot', field 'when'"), error);
        assertTrue(error.contains("signal 'ChargerTemp' is ambiguous: defined on bus powertrain and bus charging"), error);
        assertTrue(error.contains("powertrain.Charger_Status.ChargerTemp, charging.EVSE_Status.ChargerTemp"), error);
    }

    // ------------------------------------------------------------------ plumbing

    private void start(String rules) throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        try (InputStream in = getClass().getResourceAsStream("charging.dbc")) {
            Files.write(dir.resolve("charging.dbc"), in.readAllBytes());
        }
        Files.writeString(dir.resolve("rules.yaml"), rules);
        Path config = VgateYaml.vehicle("TEST0MULTIBUS0001").virtualBus("powertrain", "can0", "demo.dbc")
                .virtualBus("charging", "can1", "charging.dbc").rules("rules.yaml").writeTo(dir);
        daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC(),
                new VgateDaemon.Hooks(Map.of("powertrain", powertrain, "charging", charging), OtaListener.NONE));
        daemon.start();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) daemon.supervisor().status().get(name);
    }

    /** What the other nodes on {@code bus} receive (the daemon's channel does not see its own sends). */
    private BlockingQueue<CanFrame> listen(VirtualBus bus) throws Exception {
        BlockingQueue<CanFrame> q = new LinkedBlockingQueue<>();
        CanChannel ch = bus.newChannel();
        ch.start(f -> q.add(f.copy()));
        listeners.add(ch);
        return q;
    }

    /** The next frame with {@code id} within {@code ms}, or null. */
    private static CanFrame next(BlockingQueue<CanFrame> q, int id, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        for (long left = ms * 1_000_000L; left > 0; left = deadline - System.nanoTime()) {
            CanFrame f = q.poll(left, TimeUnit.NANOSECONDS);
            if (f != null && f.id() == id) return f;
        }
        return null;
    }

    /** EVSE_Status: CableTemp (offset -40), ChargerTemp 30 degC. */
    private static CanFrame evseStatus(int cableTempC) {
        return new CanFrame().id(EVSE_STATUS).data(new byte[] {(byte) (cableTempC + 40), 70, 0, 0, 0, 0, 0, 0}, 0, 8);
    }
}
