package dev.vgate.agent.daemon;

import dev.vgate.canbus.CanFrame;
import dev.vgate.dbc.DemoDbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A two-bus vehicle for rules tests: powertrain (the demo DBC, which defines BMS_Command) and charging (a small
 * test DBC with EVSE_Status/EVSE_Command; its ChargerTemp is also a demo DBC signal, so unqualified it is
 * ambiguous). Writes the DBCs, a rules file and a configuration naming them into a test's folder; how each bus
 * is opened (virtual, replay, socketcan) is the test's choice.
 */
public final class TwoBusFixture {
    public static final int BMS_COMMAND = 0x301, EVSE_STATUS = 0x600, EVSE_COMMAND = 0x601;

    private TwoBusFixture() {}

    /** A bus's {@code kind:} and the lines after it, e.g. {@code virtual("can0")}. */
    public static String virtual(String iface) { return "kind: virtual\n    interface: " + iface; }

    public static String socketcan(String iface) { return "kind: socketcan\n    interface: " + iface; }

    /** Replays {@code log}'s lines of {@code iface}, {@code speed} times as fast as recorded, once. */
    public static String replay(Path log, String iface, double speed) {
        return "kind: replay\n    log: " + log + "\n    interface: " + iface + "\n    speed: " + speed;
    }

    /** Writes demo.dbc, charging.dbc, rules.yaml ({@code rules}) and vgate.yaml into {@code dir}; returns vgate.yaml. */
    public static Path write(Path dir, String rules, String powertrain, String charging) throws IOException {
        DemoDbc.writeTo(dir.resolve("demo.dbc"));
        try (InputStream in = TwoBusFixture.class.getResourceAsStream("charging.dbc")) {
            Files.write(dir.resolve("charging.dbc"), in.readAllBytes());
        }
        Files.writeString(dir.resolve("rules.yaml"), rules);
        return Files.writeString(dir.resolve("vgate.yaml"), """
                vehicle_id: TEST0MULTIBUS0001
                state_dir: state
                buses:
                  - name: powertrain
                    %s
                    dbc: demo.dbc
                  - name: charging
                    %s
                    dbc: charging.dbc
                mqtt:
                  url: tcp://127.0.0.1:1
                rules: rules.yaml
                status:
                  file: %s
                """.formatted(powertrain, charging, dir.resolve("run/status.json")));
    }

    /** EVSE_Status: CableTemp (offset -40), ChargerTemp 30 degC. */
    public static CanFrame evseStatus(int cableTempC) {
        return new CanFrame().id(EVSE_STATUS).data(evseStatusData(cableTempC), 0, 8);
    }

    /** One EVSE_Status frame as a candump -L line on {@code iface} at {@code seconds}. */
    public static String evseStatusLine(double seconds, String iface, int cableTempC) {
        StringBuilder hex = new StringBuilder();
        for (byte b : evseStatusData(cableTempC)) hex.append(String.format("%02X", b & 0xFF));
        return String.format(java.util.Locale.ROOT, "(%.6f) %s %03X#%s%n", seconds, iface, EVSE_STATUS, hex);
    }

    private static byte[] evseStatusData(int cableTempC) {
        return new byte[] {(byte) (cableTempC + 40), 70, 0, 0, 0, 0, 0, 0};
    }
}
