package dev.vgate.rules;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DemoDbc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each shipped rule pack replayed on a demo-vehicle recording where it must fire and on one where it must stay
 * quiet (recordings written by {@link DemoRecording} through the real DBC encoder, replayed by
 * {@link RulesReplay} with the real decoder, as {@code vgate rules replay} does).
 */
class RulePacksTest {
    static DbcDatabase db;

    @BeforeAll static void load() throws Exception { db = DemoDbc.load(); }

    private static RuleSet pack(String name) throws Exception {
        return RuleSet.parse("packs: [" + name + "]\n", name + ".yaml", RuleDbc.of(db));
    }

    /** The events of a replay as "fired:rule@s" (seconds from the recording's start). */
    private static List<String> replay(RuleSet set, DemoRecording rec) throws Exception {
        List<String> events = new ArrayList<>();
        RulesReplay.Summary s = new RulesReplay(set, db.newDecoder()).run(new BufferedReader(new StringReader(rec.text())), line -> {
            String rule = line.replaceAll(".*\"rule\":\"([^\"]+)\".*", "$1");
            String event = line.replaceAll(".*\"event\":\"([^\"]+)\".*", "$1");
            double t = Double.parseDouble(line.replaceAll("^\\{\"t\":([0-9.]+),.*", "$1"));
            events.add(event + ":" + rule + "@" + Math.round(t - DemoRecording.epochMs(0) / 1000.0));
        });
        assertEquals(rec.frames, s.decoded(), "every frame of the recording decodes");
        return events;
    }

    private static long at(List<String> events, String prefix) {
        for (String e : events) if (e.startsWith(prefix + "@")) return Long.parseLong(e.substring(e.indexOf('@') + 1));
        throw new AssertionError("no " + prefix + " in " + events);
    }

    private static TreeSet<String> fired(List<String> events) {
        TreeSet<String> out = new TreeSet<>();
        for (String e : events) if (e.startsWith("fired:")) out.add(e.substring(6, e.indexOf('@')));
        return out;
    }

    @Test void everyShippedPackLoadsAgainstTheDemoDbcAndTheyCombine() throws Exception {
        RuleSet all = RuleSet.parse("packs: [ev-charging, battery-health, fleet-driving]\n", "all.yaml", RuleDbc.of(db));
        assertEquals(13, all.rules().size());
        assertEquals(List.of("battery_charge_sessions", "battery_soc_charged"), all.counters().stream().map(Counter::name).toList());
        // a pack next to the default rules: names never collide
        String defaults = RuleSet.defaultRulesText().replace("rules:\n", "packs: [ev-charging, fleet-driving]\nrules:\n");
        assertEquals(7 + 10, RuleSet.parse(defaults, "d.yaml", RuleDbc.of(db)).rules().size());
        RulesException unknown = assertThrows(RulesException.class, () -> pack("ev-chargin"));
        assertTrue(unknown.getMessage().contains("unknown rule pack 'ev-chargin' (shipped: ev-charging, battery-health, fleet-driving)"), unknown.getMessage());
    }

    // ---------------------------------------------------------------- ev-charging

    /** Parked at the depot or away, then a DC charge at 100 kW; {@code trouble}: power swings, a drop, a hot pack. */
    private static DemoRecording charge(boolean trouble, double lat, double lon) throws Exception {
        DemoRecording rec = new DemoRecording(db);
        return rec.run(0, 600_000, (ms, v) -> {
            v.put("Latitude", lat);
            v.put("Longitude", lon);
            double s = ms / 1000.0;
            boolean charging = s >= 10;
            v.put("ChargeState", charging ? 2.0 : 1.0);
            double p = charging ? 100 : 0;
            if (trouble && s >= 100 && s < 160) p = (((long) s / 4) % 2 == 0) ? 100 : 60; // swings of 40 %
            if (trouble && s >= 300 && s < 305) p = 30;                                      // a 70 % drop
            v.put("ChargePower", p);
            double energy = charging ? (s - 10) * 100 / 3600.0 : 0;
            v.put("ChargeEnergy", Math.floor(energy));
            // 1.5 % per kWh normally; 1.0 % per kWh with trouble (a lossy charge)
            v.put("SoC", Math.min(100, 20 + energy * (trouble ? 1.0 : 1.5)));
            v.put("BMS_Temp", 25 + (trouble && s > 400 ? (s - 400) * 4 / 60.0 : s * 0.5 / 60.0));
        });
    }

    @Test void evChargingFiresOnATroubledChargeAwayFromTheDepot() throws Exception {
        List<String> events = replay(pack("ev-charging"), charge(true, 48.20, 11.70));
        assertEquals(new TreeSet<>(List.of("ev-charging.rate-instability", "ev-charging.soc-gain-efficiency", "ev-charging.thermal-gradient",
                "ev-charging.power-drop", "ev-charging.outside-depot")), fired(events), events.toString());
        assertTrue(events.contains("fired:ev-charging.outside-depot@40"), events.toString()); // 30 s debounce after the start at 10 s
        assertTrue(events.contains("fired:ev-charging.power-drop@300"), events.toString());
    }

    @Test void evChargingStaysQuietOnANormalChargeAtTheDepot() throws Exception {
        assertEquals(List.of(), replay(pack("ev-charging"), charge(false, 48.1352, 11.5821)));
    }

    // ---------------------------------------------------------------- battery-health

    /** A 10-minute stay; {@code trouble}: one cell sags 80 mV and the pump fails while the pack heats up fast. */
    private static DemoRecording pack(boolean trouble) throws Exception {
        DemoRecording rec = new DemoRecording(db);
        return rec.run(0, 600_000, (ms, v) -> {
            double s = ms / 1000.0;
            v.put("ChargeState", 2.0);
            v.put("SoC", Math.min(100, 20 + s / 10));
            v.put("ChargePower", 50.0);
            v.put("CellVoltage5", trouble && s > 60 && s < 200 ? 3.62 : 3.70 + (s % 7) * 0.002);
            double temp = 30 + s / 60;
            if (trouble && s > 300) {
                v.put("CoolantPumpDuty", 0.0);
                temp = 35 + (s - 300) * 8 / 60.0; // 8 degC/min: past 55 degC after 2.5 min
            }
            v.put("BMS_Temp", temp);
            v.put("BMS_TempMax", temp + 1);
        });
    }

    @Test void batteryHealthFiresOnImbalanceAndRunawayRiskAndCountsTheSession() throws Exception {
        List<String> events = replay(pack("battery-health"), pack(true));
        assertEquals(new TreeSet<>(List.of("battery-health.cell-imbalance", "battery-health.thermal-runaway-risk")), fired(events), events.toString());
        // CellVoltage5 is in multiplexer group 1 of the 1 s BMS_CellData: seen every 3 s
        long fired = at(events, "fired:battery-health.cell-imbalance"), cleared = at(events, "cleared:battery-health.cell-imbalance");
        assertTrue(fired >= 70 && fired <= 73, "10 s after the sag at 60 s: " + events);
        assertTrue(cleared >= 230 && cleared <= 233, "30 s of balance after 200 s: " + events);
        long runaway = at(events, "fired:battery-health.thermal-runaway-risk");
        // BMS_TempMax = 36 + 8/min x (t - 300 s) passes 55 at 442.5 s, then the 2 s debounce (pump off since 300 s)
        assertTrue(runaway >= 444 && runaway <= 449, events.toString());
    }

    @Test void batteryHealthStaysQuietOnAHealthyPack() throws Exception {
        assertEquals(List.of(), replay(pack("battery-health"), pack(false)));
    }

    @Test void theCycleCountFiresOnceTheRestoredCounterPassesAThousandCycles() throws Exception {
        RuleSet set = pack("battery-health");
        RuleEngine engine = new RuleEngine(set);
        // a vehicle with 999.5 equivalent cycles behind it (restored from its state directory) charges 20 -> 80 %
        engine.restoreCounters(Map.of("battery_soc_charged", new Counter.State(99_950, false), "battery_charge_sessions", new Counter.State(1400, false)));
        RecordingSink sink = new RecordingSink();
        FrameEvaluator ev = new FrameEvaluator(engine, db.newDecoder(), sink);
        DemoRecording rec = pack(false);
        dev.vgate.canbus.CanFrame f = new dev.vgate.canbus.CanFrame();
        for (String line : rec.text().split("\n")) ev.onFrame(dev.vgate.canbus.CandumpFormat.parseLogLine(line, f));
        assertEquals(1, sink.events.size(), sink.events.toString());
        assertTrue(sink.events.get(0).startsWith("fired:battery-health.cycle-count@"));
        assertEquals(1401.0, engine.counterStates().get("battery_charge_sessions").value());
        assertEquals(99_950 + 59.9, engine.counterStates().get("battery_soc_charged").value(), 0.2);
    }

    // ---------------------------------------------------------------- fleet-driving

    /** A drive; {@code trouble}: a hard stop, a stretch at 140 km/h, a hot motor, and a parked night that drains 5 % SoC. */
    private static DemoRecording drive(boolean trouble) throws Exception {
        DemoRecording rec = new DemoRecording(db);
        rec.run(0, 300_000, (ms, v) -> {
            double s = ms / 1000.0;
            v.put("GearPosition", 3.0);
            double speed = s < 10 ? s * 8 : 80;
            double accel = 0;
            if (trouble && s >= 60 && s < 62) { speed = 80 - (s - 60) * 20; accel = -6; }
            if (trouble && s >= 120 && s < 150) speed = 140;
            v.put("VehicleSpeed", speed);
            v.put("LongAccel", accel);
            v.put("MotorTemp", trouble && s >= 200 && s < 220 ? 125.0 : 70.0);
            v.put("SoC", 60 - s / 100);
        });
        // parked, not charging: 15 minutes; with trouble SoC drains 5 % in it
        return rec.run(300_000, 1_200_000, (ms, v) -> {
            double s = ms / 1000.0;
            v.put("GearPosition", 0.0);
            v.put("VehicleSpeed", 0.0);
            v.put("LongAccel", 0.0);
            v.put("MotorTemp", 60.0);
            v.put("SoC", 57 - (trouble ? (s - 300) * 5 / 900 : 0));
        });
    }

    @Test void fleetDrivingFiresOnHarshBrakingSpeedingHotMotorAndDrainWhileParked() throws Exception {
        List<String> events = replay(pack("fleet-driving"), drive(true));
        assertEquals(new TreeSet<>(List.of("fleet-driving.harsh-braking", "fleet-driving.speeding", "fleet-driving.drivetrain-overtemp",
                "fleet-driving.energy-drop-parked")), fired(events), events.toString());
        assertTrue(events.contains("fired:fleet-driving.speeding@130"), events.toString());
    }

    @Test void fleetDrivingStaysQuietOnACalmDriveAndAQuietNight() throws Exception {
        assertEquals(List.of(), replay(pack("fleet-driving"), drive(false)));
    }
}
