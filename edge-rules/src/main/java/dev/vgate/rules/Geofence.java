package dev.vgate.rules;

/** A named area on WGS84 latitude/longitude: a circle (centre + radius) or a simple polygon. */
public abstract sealed class Geofence permits Geofence.Circle, Geofence.Polygon {
    private static final double EARTH_RADIUS_M = 6_371_008.8;
    private final String name;

    Geofence(String name) { this.name = name; }

    public String name() { return name; }

    /** True if the point is inside; NaN coordinates are never inside. */
    public abstract boolean contains(double lat, double lon);

    public static final class Circle extends Geofence {
        private final double lat, lon, radiusMeters;
        private final double latRad, cosLat;

        public Circle(String name, double lat, double lon, double radiusMeters) {
            super(name);
            this.lat = lat;
            this.lon = lon;
            this.radiusMeters = radiusMeters;
            this.latRad = Math.toRadians(lat);
            this.cosLat = Math.cos(latRad);
        }

        public double lat() { return lat; }
        public double lon() { return lon; }
        public double radiusMeters() { return radiusMeters; }

        /** Haversine distance: exact enough from metres to continents. */
        @Override public boolean contains(double plat, double plon) {
            if (Double.isNaN(plat) || Double.isNaN(plon)) return false;
            double pLatRad = Math.toRadians(plat);
            double dLat = pLatRad - latRad;
            double dLon = Math.toRadians(plon - lon);
            double sLat = Math.sin(dLat / 2), sLon = Math.sin(dLon / 2);
            double a = sLat * sLat + cosLat * Math.cos(pLatRad) * sLon * sLon;
            double d = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
            return d <= radiusMeters;
        }
    }

    /** Vertices as (lat, lon); even-odd rule on the lat/lon plane (fine for fences that do not cross 180°). */
    public static final class Polygon extends Geofence {
        private final double[] lats, lons;

        public Polygon(String name, double[] lats, double[] lons) {
            super(name);
            if (lats.length != lons.length || lats.length < 3) throw new IllegalArgumentException("a polygon needs at least 3 vertices");
            this.lats = lats.clone();
            this.lons = lons.clone();
        }

        public int vertexCount() { return lats.length; }

        @Override public boolean contains(double lat, double lon) {
            if (Double.isNaN(lat) || Double.isNaN(lon)) return false;
            boolean in = false;
            for (int a = 0, b = lats.length - 1; a < lats.length; b = a++) {
                if ((lats[a] > lat) != (lats[b] > lat)
                        && lon < (lons[b] - lons[a]) * (lat - lats[a]) / (lats[b] - lats[a]) + lons[a]) in = !in;
            }
            return in;
        }
    }
}
