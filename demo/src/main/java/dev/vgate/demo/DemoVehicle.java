package dev.vgate.demo;

import java.util.Random;

/**
 * A small, deterministic EV model for the demo: a 64 kWh pack, one motor, a drive through town and on the
 * highway, then a DC fast charge. Physics are simple but consistent (road load → power → pack current →
 * voltage sag, I²R heating, SoC by charge counting), so the signals move together the way a real car's do.
 * The charge is time-compressed ({@link #CHARGE_TIME_COMPRESSION}x) so that it fits a short demo.
 */
final class DemoVehicle {
    enum Phase { STANDBY, DRIVE, PLUG_IN, CHARGING, COMPLETE }

    static final double CHARGE_TIME_COMPRESSION = 4.0;
    private static final double MASS_KG = 1750;
    private static final double CDA = 0.65;
    private static final double CRR = 0.011;
    private static final double WHEEL_RADIUS_M = 0.33;
    private static final double GEAR_RATIO = 7.98;
    private static final double PACK_AH = 180;
    private static final double PACK_R_OHM = 0.065;
    private static final double THERMAL_MASS_J_PER_K = 450_000;
    private static final double OVERHEAT_TARGET_C = 78;

    private final Random noise;
    private final double totalS;
    private final boolean overheat;

    // state
    double t;
    Phase phase = Phase.STANDBY;
    double speedKmh;
    double accel;
    double motorRpm;
    double torqueNm;
    double packCurrentA;       // positive = discharging
    double packVoltageV;
    double soc = 0.42;
    double batteryTempC = 24.0;
    double coolantTempC = 22.0;
    double inverterTempC = 25.0;
    double motorTempC = 25.0;
    double chargePowerKw;
    double chargeEnergyKwh;
    double chargerTempC = 20.0;
    double latitude = 48.1351253;
    double longitude = 11.5819806;
    private double headingRad = 0.6;
    boolean brakePedal;
    double brakeBar;

    DemoVehicle(long seed, double totalSeconds, boolean overheat) {
        this.noise = new Random(seed);
        this.totalS = totalSeconds;
        this.overheat = overheat;
        this.packVoltageV = ocv(soc);
    }

    /** Phase boundaries as fractions of the trace: standby, drive, plug-in, charging, complete. */
    private Phase phaseAt(double s) {
        double f = s / totalS;
        if (f < 0.01) return Phase.STANDBY;
        if (f < 0.50) return Phase.DRIVE;
        if (f < 0.53) return Phase.PLUG_IN;
        if (f < 0.97) return Phase.CHARGING;
        return Phase.COMPLETE;
    }

    /** Target speed during the drive: town (30-50 km/h), then highway (~110 km/h), then slowing to a stop. */
    private double targetSpeed(double s) {
        double start = 0.01 * totalS;
        double end = 0.50 * totalS;
        double x = (s - start) / (end - start);
        if (x < 0 || x > 1) return 0;
        if (x < 0.40) return 40 + 12 * Math.sin(x * 40) * (x < 0.05 ? x / 0.05 : 1);
        if (x < 0.48) return 40 + (x - 0.40) / 0.08 * 70;
        if (x < 0.85) return 110 + 4 * Math.sin(x * 90);
        if (x < 0.97) return 110 * (0.97 - x) / 0.12;
        return 0;
    }

    private static double ocv(double soc) {
        return 330 + 78 * soc + 6 * Math.tanh((soc - 0.1) * 10);
    }

    /** Overheat demo: from 65 % of the trace (mid-charge) the coolant pump fails and a module heats up. */
    boolean coolantPumpFailed() {
        return overheat && phase == Phase.CHARGING && t > 0.65 * totalS;
    }

    void step(double dt) {
        t += dt;
        phase = phaseAt(t);
        double coolingW;
        if (phase == Phase.DRIVE) {
            double target = targetSpeed(t);
            double v = speedKmh / 3.6;
            double dv = Math.max(-3.0, Math.min(2.0, (target / 3.6 - v) * 0.8)) * dt;
            accel = dv / dt;
            speedKmh = Math.max(0, (v + dv) * 3.6);
            v = speedKmh / 3.6;
            double force = MASS_KG * accel + 0.5 * 1.2 * CDA * v * v + (v > 0.1 ? CRR * MASS_KG * 9.81 : 0);
            double wheelPowerW = force * v;
            double motorPowerW = wheelPowerW >= 0 ? wheelPowerW / 0.90 + 400 : wheelPowerW * 0.70 + 400; // regen recovers 70 %
            motorRpm = v / (2 * Math.PI * WHEEL_RADIUS_M) * 60 * GEAR_RATIO;
            torqueNm = motorRpm > 50 ? wheelPowerW / (motorRpm * 2 * Math.PI / 60) : 0;
            packCurrentA = motorPowerW / packVoltageV + noise.nextGaussian() * 0.8;
            brakePedal = accel < -0.8;
            brakeBar = brakePedal ? -accel * 12 : 0;
            chargePowerKw = 0;
            coolingW = 300;
        } else {
            speedKmh = 0;
            accel = 0;
            motorRpm = 0;
            torqueNm = 0;
            brakePedal = phase != Phase.STANDBY;
            brakeBar = 0;
            if (phase == Phase.CHARGING) {
                double chargeStart = 0.53 * totalS;
                double ramp = Math.min(1, (t - chargeStart) / 15.0);
                double taper = soc < 0.75 ? 1 : Math.max(0.25, 1 - (soc - 0.75) * 3.5);
                chargePowerKw = 150 * ramp * taper + noise.nextGaussian() * 0.3;
                chargePowerKw = Math.max(0, chargePowerKw);
                packCurrentA = -chargePowerKw * 1000 / packVoltageV;
                chargeEnergyKwh += chargePowerKw * dt / 3600 * CHARGE_TIME_COMPRESSION;
                chargerTempC += (35 + chargePowerKw * 0.1 - chargerTempC) * dt / 60;
                coolingW = coolantPumpFailed() ? 0 : 2500;
            } else {
                chargePowerKw = 0;
                packCurrentA = phase == Phase.PLUG_IN ? 1.2 : 0.4;
                coolingW = 200;
            }
        }
        double compression = phase == Phase.CHARGING ? CHARGE_TIME_COMPRESSION : 1;
        soc -= packCurrentA * dt * compression / 3600 / PACK_AH;
        soc = Math.max(0.02, Math.min(1.0, soc));
        packVoltageV = ocv(soc) - packCurrentA * PACK_R_OHM;
        // charging heats more (cell polarisation); a failing module (overheat demo) heats far more
        double heatW = packCurrentA * packCurrentA * PACK_R_OHM * (phase == Phase.CHARGING ? 1.6 : 1);
        double coolW = coolingW * Math.max(0, (batteryTempC - coolantTempC)) / 5;
        if (coolantPumpFailed()) {
            // a failing module with no coolant flow: heads for ~78 °C on a time scale of the trace, so that any
            // trace length (from 10 s) crosses 60 °C around 76 % of the way and stays there until it ends
            batteryTempC += (OVERHEAT_TARGET_C - batteryTempC) * dt / (0.1 * totalS);
        } else {
            batteryTempC += (heatW - coolW) * dt * compression / THERMAL_MASS_J_PER_K;
        }
        coolantTempC += ((phase == Phase.CHARGING ? 28 : 24) - coolantTempC) * dt / 120;
        inverterTempC += (30 + Math.abs(torqueNm) * 0.12 - inverterTempC) * dt / 40;
        motorTempC += (28 + Math.abs(torqueNm) * 0.18 - motorTempC) * dt / 90;
        if (speedKmh > 0) {
            headingRad += noise.nextGaussian() * 0.004 * dt * 100 * (speedKmh < 60 ? 1 : 0.2);
            double dist = speedKmh / 3.6 * dt;
            latitude += dist * Math.cos(headingRad) / 111_320.0;
            longitude += dist * Math.sin(headingRad) / (111_320.0 * Math.cos(Math.toRadians(latitude)));
        }
    }
}
