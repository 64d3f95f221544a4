package dev.vgate.ota.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One A/B slot: its name ("A"/"B"), the file or block device holding its image, and how many bytes it can
 * hold. For block devices the capacity comes from sysfs (FileChannel reports 0 for them).
 */
public record Slot(String name, Path device, long capacity) {
    public static Slot detect(String name, Path device) throws IOException {
        Path real = device.toRealPath();
        if (Files.isRegularFile(real)) return new Slot(name, device, Files.size(real));
        Path sysSize = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (Files.exists(sysSize)) return new Slot(name, device, Long.parseLong(Files.readString(sysSize).trim()) * 512L);
        throw new IOException(device + " is neither a regular file nor a block device with a size in /sys/class/block");
    }
}
