package dev.vgate.dbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Writes the demo DBC to {@code file}, for a configuration that names it as a bus's {@code dbc} (tests, examples). */
    public static Path writeTo(Path file) throws IOException {
        try (InputStream in = DemoDbc.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("demo DBC " + RESOURCE + " is missing from the classpath");
            return Files.write(file, in.readAllBytes());
        }
    }
}
