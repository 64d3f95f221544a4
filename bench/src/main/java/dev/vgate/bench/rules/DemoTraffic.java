package dev.vgate.bench.rules;

import dev.vgate.canbus.CanFrame;

import java.util.Random;

/**
 * Healthy demo-DBC traffic for the rules benchmarks: the demo car's periodic messages with plausible values
 * below every default threshold (BMS_Status, BMS_Thermal, Motor_Status, Vehicle_Dynamics, Charger_Status,
 * GPS_Position), in proportion to their cycle times.
 */
final class DemoTraffic {
    private final CanFrame[] frames;
    private int next;

    DemoTraffic(long seed) {
        Random rnd = new Random(seed);
        frames = new CanFrame[1024];
        for (int k = 0; k < frames.length; k++) {
            int pick = rnd.nextInt(100);
            CanFrame f = new CanFrame().iface("vcan0");
            if (pick < 30) f.id(0x200).data(bytes(rnd, 8));                                   // Motor_Status, 20 ms
            else if (pick < 60) f.id(0x210).data(dynamics(rnd));                              // Vehicle_Dynamics, 20 ms
            else if (pick < 72) f.id(0x100).data(status(rnd));                                // BMS_Status, 100 ms
            else if (pick < 84) f.id(0x101).data(thermal(30 + rnd.nextInt(10), 60));          // BMS_Thermal, 100 ms
            else if (pick < 96) f.id(0x300).data(charger(rnd));                               // Charger_Status, 100 ms
            else f.id(0x18FEF100).flags(CanFrame.FLAG_EXTENDED).data(gps(rnd));               // GPS_Position, 1 s
            frames[k] = f;
        }
    }

    /** The next frame of the mix (reused: do not keep it). */
    CanFrame next() {
        CanFrame f = frames[next];
        next = (next + 1) & (frames.length - 1);
        return f;
    }

    static byte[] thermal(int tempDegC, int coolantDegC) {
        int raw = tempDegC * 10;
        return new byte[] {(byte) raw, (byte) (raw >> 8), 70, 80, (byte) (coolantDegC + 40), 40, 0, 0};
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        b[5] &= 0x0F; // keep MotorMode/temperatures in range; the rules do not read Motor_Status
        return b;
    }

    private static byte[] dynamics(Random rnd) {
        int speed = 5000 + rnd.nextInt(3000);          // 50..80 km/h
        int accel = rnd.nextInt(2000) - 1000;           // -1..1 m/s2
        int brake = rnd.nextInt(200);                   // 0..20 bar
        return new byte[] {(byte) speed, (byte) (speed >> 8), (byte) accel, (byte) (accel >> 8), (byte) brake, (byte) (brake >> 8 & 0x0F), 3, 0};
    }

    private static byte[] status(Random rnd) {
        int soc = 500 + rnd.nextInt(10);
        return new byte[] {0x40, 0x1F, 0, 0, (byte) soc, (byte) ((soc >> 8) & 0x03 | (2 << 2)), 0, 0};
    }

    private static byte[] charger(Random rnd) {
        return new byte[] {0, 0, 0, 60, 0, 0, 0, 0}; // not charging
    }

    private static byte[] gps(Random rnd) {
        int lat = 481370000 + rnd.nextInt(1000), lon = 115750000 + rnd.nextInt(1000);
        return new byte[] {(byte) lat, (byte) (lat >> 8), (byte) (lat >> 16), (byte) (lat >> 24), (byte) lon, (byte) (lon >> 8), (byte) (lon >> 16), (byte) (lon >> 24)};
    }
}
