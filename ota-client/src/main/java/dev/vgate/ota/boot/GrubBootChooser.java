package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/**
 * Boot control through GRUB's grubenv with RAUC's variables: {@code ORDER="A B"}, {@code A_OK}, {@code A_TRY}
 * (the grub.cfg boots the first slot in ORDER with OK=1 and TRY=0, setting TRY=1 first; committing resets
 * TRY). The file is replaced atomically (temp file + rename).
 */
public final class GrubBootChooser implements BootChooser {
    private final Path grubenv;

    public GrubBootChooser(Path grubenv) { this.grubenv = grubenv; }

    @Override public String name() { return "grub"; }

    private Map<String, String> read() throws OtaException {
        try {
            return GrubEnv.decode(Files.readAllBytes(grubenv));
        } catch (IOException | IllegalArgumentException e) {
            throw new OtaException(BOOT_CONTROL, "grub backend: cannot read " + grubenv + ": " + e.getMessage(), e);
        }
    }

    private void write(Map<String, String> vars) throws OtaException {
        try {
            AtomicFiles.replace(grubenv, GrubEnv.encode(vars));
        } catch (IOException | IllegalArgumentException e) {
            throw new OtaException(BOOT_CONTROL, "grub backend: cannot write " + grubenv + ": " + e.getMessage(), e);
        }
    }

    @Override public String getPrimary() throws OtaException {
        Map<String, String> v = read();
        for (String s : order(v)) if ("1".equals(v.get(s + "_OK")) && !"1".equals(v.get(s + "_TRY"))) return s;
        throw new OtaException(BOOT_CONTROL, "grub backend: no slot in ORDER is bootable (OK=1, TRY=0)");
    }

    @Override public void setPrimary(String slot) throws OtaException {
        Map<String, String> v = new LinkedHashMap<>(read());
        v.put("ORDER", slot + " " + BootChooser.other(slot));
        v.put(slot + "_OK", "1");
        v.put(slot + "_TRY", "0");
        write(v);
    }

    @Override public SlotState getState(String slot) throws OtaException {
        Map<String, String> v = read();
        if (!"1".equals(v.get(slot + "_OK"))) return SlotState.BAD;
        return "1".equals(v.get(slot + "_TRY")) ? SlotState.TRIAL : SlotState.GOOD;
    }

    @Override public void setState(String slot, SlotState state) throws OtaException {
        Map<String, String> v = new LinkedHashMap<>(read());
        v.put(slot + "_OK", state == SlotState.BAD ? "0" : "1");
        v.put(slot + "_TRY", "0");
        write(v);
    }

    private static List<String> order(Map<String, String> v) {
        return Arrays.asList(v.getOrDefault("ORDER", "A B").trim().split("\\s+"));
    }
}
