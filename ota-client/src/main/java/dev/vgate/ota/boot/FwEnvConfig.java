package dev.vgate.ota.boot;

import dev.vgate.ota.OtaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.vgate.ota.OtaException.Reason.BOOT_CONTROL;

/**
 * fw_env.config as libubootenv reads it: one line per environment copy, "device offset size
 * [sector-size [sectors]]", '#' comments. Like libubootenv ({@code sscanf "%lli %lx %lx"}) the offset
 * may be decimal, 0x-hex or 0-octal, but the size is always hexadecimal, with or without "0x". Two lines mean a redundant
 * environment; both copies must have the same size.
 */
public record FwEnvConfig(List<Copy> copies) {
    public record Copy(Path device, long offset, int size) {}

    public FwEnvConfig {
        copies = List.copyOf(copies);
    }

    public boolean redundant() { return copies.size() == 2; }

    public int size() { return copies.get(0).size(); }

    public static FwEnvConfig load(Path file) throws OtaException {
        try {
            return parse(Files.readString(file), file.getParent() == null ? Path.of(".") : file.getParent(), file.toString());
        } catch (IOException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static FwEnvConfig parse(String text, Path base, String where) throws OtaException {
        List<Copy> copies = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("#.*", "").trim();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            String at = where + ":" + (i + 1);
            if (f.length < 3) throw new OtaException(BOOT_CONTROL, "uboot backend: " + at + ": expected 'device offset size', got \"" + line + "\"");
            long off = offset(f[1], at), size = hex(f[2], at);
            if (size < 16 || size > (16 << 20)) throw new OtaException(BOOT_CONTROL, "uboot backend: " + at + ": env size " + size + " out of range");
            if (f[0].startsWith("/dev/mtd"))
                throw new OtaException(BOOT_CONTROL, "uboot backend: " + at + ": MTD devices need erase ioctls; use fw_setenv there, vgate writes files and block devices");
            copies.add(new Copy(base.resolve(f[0]), off, (int) size));
        }
        if (copies.isEmpty() || copies.size() > 2)
            throw new OtaException(BOOT_CONTROL, "uboot backend: " + where + ": expected one or two environment lines, found " + copies.size());
        if (copies.size() == 2 && copies.get(0).size() != copies.get(1).size())
            throw new OtaException(BOOT_CONTROL, "uboot backend: " + where + ": the two copies differ in size");
        return new FwEnvConfig(copies);
    }

    private static long offset(String s, String at) throws OtaException {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) return Long.parseLong(s.substring(2), 16);
            return s.length() > 1 && s.startsWith("0") ? Long.parseLong(s.substring(1), 8) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: " + at + ": \"" + s + "\" is not a number");
        }
    }

    private static long hex(String s, String at) throws OtaException {
        try {
            return Long.parseLong(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s, 16);
        } catch (NumberFormatException e) {
            throw new OtaException(BOOT_CONTROL, "uboot backend: " + at + ": \"" + s + "\" is not a number");
        }
    }
}
