package dev.vgate.dbc;

import java.io.IOException;
import java.io.InputStream;

/** The DBC of vgate's demo EV platform, bundled on the classpath (used by {@code vgate demo} and tests). */
public final class DemoDbc {
    /** Classpath location of the demo DBC. */
    public static final String RESOURCE = "/dev/vgate/dbc/demo/vgate-demo.dbc";

    private DemoDbc() {}

    public static DbcDatabase load() throws DbcException {
        try (InputStream in = DemoDbc.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new DbcException("demo DBC " + RESOURCE + " is missing from the classpath");
            return DbcDatabase.load(in, "vgate-demo.dbc");
        } catch (IOException e) {
            throw new DbcException("cannot read demo DBC " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
