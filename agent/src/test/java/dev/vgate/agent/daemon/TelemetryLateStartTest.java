package dev.vgate.agent.daemon;

import dev.vgate.agent.config.ConfigLoader;
import dev.vgate.agent.config.VgateConfig;
import dev.vgate.canbus.CanFrame;
import dev.vgate.canbus.VirtualBus;
import dev.vgate.dbc.DemoDbc;
import dev.vgate.ota.OtaListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The telemetry part fails its first start (its database cannot be opened yet) while the bus is already up.
 * When the supervisor's retry brings it up, the running bus pipeline must be wired to it: samples are collected,
 * and the status says so. Before the fix the pipeline stayed without a collector while status said "running".
 */
class TelemetryLateStartTest {
    @TempDir Path dir;
    private final VirtualBus bus = new VirtualBus("can0");
    private VgateDaemon daemon;

    @AfterEach void stop() {
        if (daemon != null) daemon.stop();
    }

    @Test void aTelemetryPartThatStartsLateIsWiredIntoTheRunningBus() throws Exception {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        Path file = Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: VGATE0TELEMETRY01
                state_dir: state
                buses:
                  - {name: powertrain, kind: virtual, interface: can0, dbc: demo.dbc}
                mqtt:
                  url: tcp://127.0.0.1:1
                status:
                  file: run/status.json
                """);
        VgateConfig config = ConfigLoader.load(file);
        Path blocker = Files.createDirectories(config.telemetryDatabase().resolve("not-a-database"));
        daemon = new VgateDaemon(config, Clock.systemUTC(), new VgateDaemon.Hooks(Map.of("powertrain", bus), OtaListener.NONE));
        daemon.start();

        awaitState("bus:powertrain", "running");
        assertTrue(!"running".equals(service("telemetry").get("state")), "telemetry cannot start yet: " + service("telemetry"));
        assertEquals("off", service("bus:powertrain").get("telemetry"), "status says the bus's signals are not collected");

        Files.delete(blocker);
        Files.delete(blocker.getParent());
        awaitState("telemetry", "running"); // the supervisor's retry
        assertEquals("collecting", service("bus:powertrain").get("telemetry"));

        for (int i = 0; i < 10; i++) bus.inject(bmsStatus(i));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (accepted() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(accepted() > 0, "samples of the running bus reach the buffer: " + service("telemetry"));
    }

    private long accepted() {
        Object n = service("telemetry").get("accepted_samples");
        return n instanceof Number x ? x.longValue() : 0;
    }

    /** BMS_Status (0x100): PackVoltage and PackCurrent. */
    private static CanFrame bmsStatus(int i) {
        return new CanFrame().id(0x100).data(new byte[] {(byte) (0x10 + i), 0x1F, 0, 0, 0, 0, 0, 0}, 0, 8);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) daemon.supervisor().status().get(name);
    }

    private void awaitState(String part, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (state.equals(service(part).get("state"))) return;
            Thread.sleep(10);
        }
        throw new AssertionError(part + " is not " + state + ": " + service(part));
    }
}
