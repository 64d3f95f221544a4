package dev.vgate.agent.cli.dbc;

import dev.vgate.dbc.DbcDatabase;
import dev.vgate.dbc.DbcException;

import java.nio.file.Files;
import java.nio.file.Path;

/** A DBC file, optionally bound to one bus ({@code --dbc can0=pcan.dbc}); unbound DBCs serve every bus. */
public record DbcBinding(String bus, Path file, DbcDatabase db) {

    /** Parses "FILE" or "BUS=FILE" (a path that exists as written wins over a bus binding) and loads the DBC. */
    public static DbcBinding parse(String spec) throws DbcException {
        String bus = null;
        String path = spec;
        int eq = spec.indexOf('=');
        if (eq > 0 && !Files.exists(Path.of(spec)) && spec.substring(0, eq).matches("[A-Za-z0-9_.:-]+")) {
            bus = spec.substring(0, eq);
            path = spec.substring(eq + 1);
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) throw new DbcException("DBC file not found: " + file);
        return new DbcBinding(bus, file, DbcDatabase.load(file));
    }

    public boolean servesBus(String iface) { return bus == null || bus.equals(iface); }

    @Override public String toString() { return (bus == null ? "" : bus + "=") + file; }
}
