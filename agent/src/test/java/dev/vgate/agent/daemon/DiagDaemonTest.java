package dev.vgate.agent.daemon;

import dev.vgate.agent.testing.VgateYaml;
import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.buffer.codec.ValueCodec;
import dev.vgate.buffer.codec.ValueEncoding;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.command.exec.CommandFailedException;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.diag.isotp.ChannelIsoTpNetwork;
import dev.vgate.diag.isotp.IsoTpOptions;
import dev.vgate.diag.sim.EcuSimulator;
import dev.vgate.ota.OtaListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * vgate run with a diag section against a simulated ECU on the virtual powertrain bus: OBD PIDs polled into
 * the rules, the last-known values and the telemetry store; DTCs polled, a new one stored as an alert with
 * its status byte and freeze frame, a cleared one as an alert too; read-dtcs and clear-dtcs.
 */
class DiagDaemonTest {
    @TempDir Path dir;
    private final VirtualBus powertrain = new VirtualBus("can0");
    private EcuSimulator ecu;
    private VgateDaemon daemon;

    @AfterEach void stop() {
        if (daemon != null) daemon.stop();
        if (ecu != null) ecu.close();
    }

    @Test void obdValuesFlowIntoRulesValuesAndTelemetryAndDtcsBecomeAlerts() throws Exception {
        ecu = new EcuSimulator(ChannelIsoTpNetwork.on(powertrain), 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, true);
        ecu.pids.put(0x0C, new byte[] {0x1A, (byte) 0xFA}); // 1726.5 rpm
        ecu.pids.put(0x0D, new byte[] {0x58});              // 88 km/h
        ecu.pids.put(0x05, new byte[] {(byte) 0x82});       // 90 degC
        ecu.dtcs.add(new EcuSimulator.SimDtc(0x0A7E00, 0x2F,
                EcuSimulator.snapshot(1, 0xF40C, new byte[] {0x1A, (byte) 0xF8}, 0xF40D, new byte[] {0x58}), null));
        start("""
                rules:
                  - name: engine-revving
                    when: obd.engine_rpm > 1500 rpm
                    actions:
                      - alert: { severity: warning }
                """);

        await("the OBD values in the last-known values", () -> daemon.lastValues().latest("engine_rpm").isPresent()
                && daemon.lastValues().latest("vehicle_speed").isPresent() && daemon.lastValues().latest("coolant_temp").isPresent());
        assertEquals(1726.5, daemon.lastValues().latest("engine_rpm").get().value(), 1e-9);
        assertEquals(88, daemon.lastValues().latest("vehicle_speed").get().value(), 1e-9);
        assertEquals(90, daemon.lastValues().latest("coolant_temp").get().value(), 1e-9);
        await("the rule on an OBD value fired", () -> ((Number) service("telemetry").get("rule_alerts_recorded")).longValue() >= 1);
        await("the new DTC recorded", () -> ((Number) service("diag").get("dtc_events")).longValue() >= 1);

        // on demand, as the read-dtcs command does
        var sink = daemon.diag().commandSink();
        assertEquals(Map.of("engine", List.of("P0A7E status=0x2F testFailed,testFailedThisOperationCycle,pendingDTC,confirmedDTC,testFailedSinceLastClear")),
                sink.read(List.of()));
        assertEquals("INVALID_PARAMS", assertThrows(CommandFailedException.class, () -> sink.read(List.of("gearbox"))).code());
        assertEquals(Map.of("engine", List.of()), sink.clear(List.of("engine")));
        assertEquals(2, ((Number) service("diag").get("dtc_events")).longValue(), "new, then cleared");
        ecu.negative.put(0x14, 0x22);
        CommandFailedException refused = assertThrows(CommandFailedException.class, () -> sink.clear(List.of()));
        assertEquals("NEGATIVE_RESPONSE", refused.code());
        assertTrue(refused.getMessage().contains("conditionsNotCorrect"), refused.getMessage());

        Thread.sleep(500); // a few more OBD rounds, then stop: the open telemetry window is committed
        daemon.stop();
        List<String> rows = storeRows();
        assertTrue(rows.contains("obd/OBD_0C/engine_rpm normal"), rows.toString());
        assertTrue(rows.contains("obd/OBD_0D/vehicle_speed normal"), rows.toString());
        assertTrue(rows.contains("diag/dtc/engine/P0A7E alert [47, -1]"), rows.toString());
        assertTrue(rows.contains("diag/freeze/engine/P0A7E/r1.engine_rpm alert [6904]"), rows.toString());
        assertTrue(rows.contains("diag/freeze/engine/P0A7E/r1.vehicle_speed alert [88]"), rows.toString());
        assertTrue(Files.readString(dir.resolve("state/diag/dtcs.txt")).isEmpty(), "the cleared DTC is no longer remembered");
    }

    @Test void aDtcAlreadyReportedIsNotReportedAgainAfterARestart() throws Exception {
        ecu = new EcuSimulator(ChannelIsoTpNetwork.on(powertrain), 0x7E0, 0x7E8, IsoTpOptions.DEFAULT, false);
        ecu.dtcs.add(new EcuSimulator.SimDtc(0xC10000, 0x08, null, null));
        start(null);
        // the event is counted just before the round saves what it reported: wait for both
        await("the DTC recorded", () -> ((Number) service("diag").get("dtc_events")).longValue() == 1
                && Files.exists(dir.resolve("state/diag/dtcs.txt")));
        assertEquals("engine C10000 08\n", Files.readString(dir.resolve("state/diag/dtcs.txt")));
        daemon.stop();
        start(null);
        await("a DTC round", () -> ((Number) service("diag").get("dtc_rounds")).longValue() >= 1);
        assertEquals(0, ((Number) service("diag").get("dtc_events")).longValue());
        assertEquals(1, ((Number) service("diag").get("active_dtcs")).intValue());
    }

    // ------------------------------------------------------------------ plumbing

    private void start(String rules) throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        if (rules != null) Files.writeString(dir.resolve("rules.yaml"), rules);
        VgateYaml yaml = VgateYaml.vehicle("TEST0DIAG00000001");
        if (rules != null) yaml.rules("rules.yaml");
        Path config = yaml.with("""
                diag:
                  bus: powertrain
                  p2: 500ms
                  ecus:
                    - name: engine
                      request_id: 0x7E0
                      response_id: 0x7E8
                  obd:
                    pids: [0C, 0D, 05]
                    interval: 200ms
                  dtc:
                    interval: 1s
                """).writeTo(dir);
        daemon = new VgateDaemon(ConfigLoader.load(config), Clock.systemUTC(),
                new VgateDaemon.Hooks(Map.of("powertrain", powertrain), OtaListener.NONE));
        daemon.start();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) daemon.supervisor().status().get(name);
    }

    /** "bus/message/signal priority [raw values]" for alert streams, "bus/message/signal priority" for others. */
    private List<String> storeRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/telemetry.db"));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT s.id, s.bus, s.message, s.signal, c.priority, count(*) FROM chunks c JOIN streams s ON s.id = c.stream GROUP BY s.id, c.priority")) {
            while (rs.next()) {
                String name = rs.getString(2) + "/" + rs.getString(3) + "/" + rs.getString(4);
                boolean alert = rs.getString(2).equals("diag");
                rows.add(name + " " + (alert ? "alert " + alertValues(c, rs.getInt(1)) : "normal"));
            }
        }
        return rows;
    }

    private static String alertValues(Connection c, int stream) throws Exception {
        List<Long> values = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count, vals FROM chunks WHERE stream = " + stream + " ORDER BY id")) {
            while (rs.next()) {
                long[] raw = new long[rs.getInt(1)];
                ValueCodec.decode(ValueEncoding.DELTA_ZIGZAG, rs.getBytes(2), raw.length, raw);
                for (long v : raw) values.add(v);
            }
        }
        return values.toString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
