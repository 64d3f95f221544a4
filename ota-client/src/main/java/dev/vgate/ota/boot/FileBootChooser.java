package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/**
 * Boot control in a plain properties file ({@code primary=A}, {@code A.state=GOOD}), replaced atomically.
 * For tests and the power-cut simulation; a missing file means slot A, both slots good.
 */
public final class FileBootChooser implements BootChooser {
    private final Path file;

    public FileBootChooser(Path file) { this.file = file; }

    @Override public String name() { return "file"; }

    private Properties read() throws OtaException {
        Properties p = new Properties();
        try {
            if (Files.exists(file)) p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "file backend: cannot read " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private void write(Properties p) throws OtaException {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(p).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            AtomicFiles.replace(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "file backend: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override public String getPrimary() throws OtaException { return read().getProperty("primary", "A"); }

    @Override public void setPrimary(String slot) throws OtaException {
        BootChooser.other(slot);
        Properties p = read();
        p.setProperty("primary", slot);
        p.setProperty(slot + ".state", SlotState.TRIAL.name());
        write(p);
    }

    @Override public SlotState getState(String slot) throws OtaException {
        try {
            return SlotState.valueOf(read().getProperty(slot + ".state", "GOOD"));
        } catch (IllegalArgumentException e) {
            throw new OtaException(BOOT_CONTROL, "file backend: " + file + " holds an unknown state for slot " + slot);
        }
    }

    @Override public void setState(String slot, SlotState state) throws OtaException {
        BootChooser.other(slot);
        Properties p = read();
        p.setProperty(slot + ".state", state.name());
        if (state == SlotState.BAD && slot.equals(p.getProperty("primary", "A"))) p.setProperty("primary", BootChooser.other(slot));
        write(p);
    }
}
