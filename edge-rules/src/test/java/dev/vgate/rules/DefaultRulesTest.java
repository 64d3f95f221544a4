package dev.vgate.rules;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped rule set on simulated drives and charging sessions: each rule fires on its case and only then. */
class DefaultRulesTest {
    Harness h;
    /** The simulated car: every signal is sent every 100 ms with its current value. */
    final Map<String, Double> car = new LinkedHashMap<>();
    long t;

    @BeforeEach void setUp() throws Exception {
        h = new Harness(RuleSet.defaultRulesText());
        car.put("BMS_Temp", 30.0);
        car.put("CoolantTemp", 60.0);
        car.put("SoC", 50.0);
        car.put("ChargeState", 0.0);
        car.put("ChargePower", 0.0);
        car.put("ChargeEnergy", 0.0);
        car.put("VehicleSpeed", 50.0);
        car.put("LongAccel", 0.0);
        car.put("BrakePressure", 0.0);
    }

    void run(long ms) {
        for (long end = t + ms; t < end; ) {
            t += 100;
            for (Map.Entry<String, Double> e : car.entrySet()) h.feed(e.getKey(), h.dbc.quantize(e.getKey(), e.getValue()), t);
        }
    }

    List<String> fired() {
        return h.sink.events.stream().filter(e -> e.startsWith("fired:")).map(e -> e.substring(6, e.indexOf('@'))).toList();
    }

    @Test void loadsWithEveryRuleKind() {
        assertEquals(List.of("battery-overtemp-cutoff", "battery-temp-stale", "charge-power-drop", "battery-thermal-gradient",
                "low-charge-efficiency", "harsh-braking", "coolant-overtemp"), h.set.rules().stream().map(Rule::name).toList());
    }

    @Test void healthyDriveAndChargeFireNothing() {
        Random rnd = new Random(11);
        for (int k = 0; k < 3000; k++) { // 5 minutes of driving with noise
            car.put("VehicleSpeed", 50 + 20 * Math.sin(k / 100.0));
            car.put("LongAccel", rnd.nextGaussian() * 0.8);
            car.put("BMS_Temp", 30 + rnd.nextGaussian() * 0.3);
            run(100);
        }
        car.put("VehicleSpeed", 0.0);
        car.put("ChargeState", 2.0);
        for (int k = 0; k < 6000; k++) { // 10 minutes of 60 kW charging at 1.56 %/kWh
            car.put("ChargePower", 60 + rnd.nextGaussian());
            car.put("ChargeEnergy", car.get("ChargeEnergy") + 60.0 / 36_000);
            car.put("SoC", car.get("SoC") + 1.56 * 60.0 / 36_000);
            run(100);
        }
        assertEquals(List.of(), h.sink.events);
    }

    @Test void overTemperatureCutsOffAfter200msAndClearsBelow55() {
        run(1000);
        car.put("BMS_Temp", 60.5);
        run(100);
        assertEquals(List.of(), fired());
        run(200);
        assertEquals(List.of("battery-overtemp-cutoff"), fired());
        car.put("BMS_Temp", 56.0);
        run(1000);
        assertTrue(h.engine.isActive("battery-overtemp-cutoff"));
        car.put("BMS_Temp", 54.0);
        run(100);
        assertEquals(false, h.engine.isActive("battery-overtemp-cutoff"));
    }

    @Test void staleTemperature() {
        run(1000);
        car.remove("BMS_Temp");
        run(500);
        assertEquals(List.of(), fired());
        run(100);
        assertEquals(List.of("battery-temp-stale"), fired());
    }

    @Test void chargePowerDrop() {
        car.put("ChargeState", 2.0);
        car.put("ChargePower", 100.0);
        run(20_000);
        car.put("ChargePower", 45.0);
        run(100);
        assertEquals(List.of("charge-power-drop"), fired());
    }

    @Test void thermalGradient() {
        run(60_000);
        for (int k = 0; k < 900; k++) { // +3 degC/min for 90 s
            car.put("BMS_Temp", car.get("BMS_Temp") + 3.0 / 600);
            run(100);
        }
        assertEquals(List.of("battery-thermal-gradient"), fired());
    }

    @Test void lowChargeEfficiency() {
        car.put("ChargeState", 2.0);
        car.put("ChargePower", 60.0);
        for (int k = 0; k < 4200; k++) { // 7 minutes at 1.0 %/kWh
            car.put("ChargeEnergy", car.get("ChargeEnergy") + 60.0 / 36_000);
            car.put("SoC", car.get("SoC") + 1.0 * 60.0 / 36_000);
            run(100);
        }
        assertEquals(List.of("low-charge-efficiency"), fired());
    }

    @Test void harshBrakingButNotWhenCrawling() {
        car.put("VehicleSpeed", 10.0);
        car.put("LongAccel", -6.0);
        run(1000);
        assertEquals(List.of(), fired());
        car.put("VehicleSpeed", 60.0);
        car.put("LongAccel", 0.0);
        run(1000);
        car.put("LongAccel", -6.0);
        run(200);
        assertEquals(List.of("harsh-braking"), fired());
    }

    @Test void coolantOverTemperature() {
        car.put("CoolantTemp", 97.0);
        run(1900);
        assertEquals(List.of(), fired());
        run(200);
        assertEquals(List.of("coolant-overtemp"), fired());
    }
}
