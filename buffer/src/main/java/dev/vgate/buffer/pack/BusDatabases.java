package dev.vgate.buffer.pack;

import dev.vgate.dbc.DbcDatabase;

import java.util.LinkedHashMap;
import java.util.Map;

/** Which DBC decodes which bus: per-interface entries, and optionally one for every other bus. */
public final class BusDatabases {
    private final Map<String, DbcDatabase> byBus = new LinkedHashMap<>();
    private DbcDatabase fallback;

    public BusDatabases put(String bus, DbcDatabase db) {
        byBus.put(bus, db);
        return this;
    }

    public BusDatabases fallback(DbcDatabase db) {
        this.fallback = db;
        return this;
    }

    /** The database for {@code bus}, or null when the bus is not decoded. */
    public DbcDatabase forBus(String bus) {
        DbcDatabase db = byBus.get(bus);
        return db != null ? db : fallback;
    }
}
