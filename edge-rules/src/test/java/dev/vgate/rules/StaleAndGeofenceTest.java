package dev.vgate.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleAndGeofenceTest {
    @Test void staleFiresAfterTimeoutWhileTheBusIsAliveAndClearsOnUpdate() throws Exception {
        Harness h = Harness.rule("stale(BMS_Temp, 500ms)", null);
        h.feed("BMS_Temp", 30, 0);
        for (long t = 20; t <= 500; t += 20) h.feed("VehicleSpeed", 50, t);
        assertFalse(h.active(), "exactly 500 ms without update is not stale yet");
        h.feed("VehicleSpeed", 50, 520);
        assertEquals(List.of("fired:r@520"), h.sink.events);
        h.feed("BMS_Temp", 30, 530);
        assertEquals(List.of("fired:r@520", "cleared:r@530"), h.sink.events);
    }

    @Test void notStaleWhenTheWholeBusIsSilent() throws Exception {
        Harness h = Harness.rule("stale(BMS_Temp, 500ms)", null);
        h.feed("BMS_Temp", 30, 0).tick(600).tick(5_000);
        assertFalse(h.active(), "no frame at all: the bus is down, not the signal");
        // the bus comes back without BMS_Temp: stale once another frame arrives
        h.feed("VehicleSpeed", 1, 5_010);
        assertTrue(h.active());
    }

    @Test void aSignalNeverSeenGoesStaleAfterTheBusStarts() throws Exception {
        Harness h = Harness.rule("stale(BMS_Temp, 500ms)", null);
        for (long t = 1000; t <= 1500; t += 20) h.feed("VehicleSpeed", 1, t);
        assertFalse(h.active());
        h.feed("VehicleSpeed", 1, 1520);
        assertTrue(h.active());
    }

    @Test void tickFiresStaleWhenOtherFramesAreRecent() throws Exception {
        Harness h = Harness.rule("stale(BMS_Temp, 500ms)", null);
        h.feed("BMS_Temp", 1, 0).feed("VehicleSpeed", 1, 400).tick(501);
        assertTrue(h.active());
    }

    private static final String FENCES = "position: { lat: Latitude, lon: Longitude }\n"
            + "geofences:\n"
            + "  depot: { circle: { lat: 48.137, lon: 11.575, radius: 200m } }\n"
            + "  yard: { polygon: [[48.0, 11.0], [48.0, 11.1], [48.1, 11.1], [48.1, 11.0]] }\n";

    @Test void circleAndPolygonInsideOutside() throws Exception {
        Harness h = new Harness(FENCES + "rules:\n"
                + "  - { name: at-depot, when: inside(depot), actions: [ { alert: { severity: info } } ] }\n"
                + "  - { name: off-yard, when: outside(yard), actions: [ { alert: { severity: info } } ] }\n"
                + "  - { name: charging-away, when: \"ChargeState == CHARGING and outside(depot) and outside(yard)\", actions: [ { alert: { severity: warning } } ] }\n");
        h.feed("ChargeState", 2, 0);
        assertFalse(h.engine.isActive("off-yard"), "unknown position is neither inside nor outside");
        assertFalse(h.engine.isActive("charging-away"));
        // ~100 m north of the depot centre
        h.feed("Latitude", 48.1379, 1).feed("Longitude", 11.575, 1);
        assertTrue(h.engine.isActive("at-depot"));
        assertTrue(h.engine.isActive("off-yard"));
        assertFalse(h.engine.isActive("charging-away"));
        // ~300 m north: outside the circle
        h.feed("Latitude", 48.1397, 2);
        assertFalse(h.engine.isActive("at-depot"));
        assertTrue(h.engine.isActive("charging-away"));
        // inside the polygon
        h.feed("Latitude", 48.05, 3).feed("Longitude", 11.05, 3);
        assertFalse(h.engine.isActive("off-yard"));
        assertFalse(h.engine.isActive("charging-away"));
    }

    @Test void polygonContainsAgreesWithRectangleOnRandomPoints() {
        Geofence.Polygon p = new Geofence.Polygon("r", new double[] {10, 10, 20, 20}, new double[] {30, 40, 40, 30});
        java.util.Random rnd = new java.util.Random(7);
        for (int k = 0; k < 10_000; k++) {
            double lat = 5 + rnd.nextDouble() * 20, lon = 25 + rnd.nextDouble() * 20;
            boolean in = lat > 10 && lat < 20 && lon > 30 && lon < 40;
            if (Math.abs(lat - 10) < 1e-9 || Math.abs(lat - 20) < 1e-9) continue;
            assertEquals(in, p.contains(lat, lon), lat + "," + lon);
        }
    }

    @Test void circleRadiusInMeters() {
        Geofence.Circle c = new Geofence.Circle("c", 0, 0, 1000);
        // 1 degree of latitude is ~111.2 km; 0.0089 deg ~ 990 m, 0.0091 deg ~ 1012 m
        assertTrue(c.contains(0.0089, 0));
        assertFalse(c.contains(0.0091, 0));
        assertFalse(c.contains(Double.NaN, 0));
    }
}
