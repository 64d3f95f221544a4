package dev.vgate.ota;

import dev.vgate.ota.manifest.Version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.vgate.ota.OtaException.Reason.CONFIG;

/**
 * Where a device's OTA identity comes from by default: the hardware id from {@code /etc/vgate/hardware-id}
 * (one line, written by the image build; {@code vgate ota apply} reads the same file) and the running
 * image's version from {@code VERSION_ID} in {@code /etc/os-release} (Yocto's DISTRO_VERSION).
 */
public final class DeviceIdentity {
    public static final Path HARDWARE_ID_FILE = Path.of("/etc/vgate/hardware-id");
    public static final Path OS_RELEASE = Path.of("/etc/os-release");

    private DeviceIdentity() {}

    public static String hardwareId(Path file) throws OtaException {
        try {
            String id = Files.readString(file).strip();
            if (id.isEmpty() || id.contains("\n")) throw new OtaException(CONFIG, file + ": must hold exactly one non-empty line");
            return id;
        } catch (IOException e) {
            throw new OtaException(CONFIG, "cannot read the hardware id from " + file + ": " + e.getMessage(), e);
        }
    }

    public static String imageVersion(Path osRelease) throws OtaException {
        try {
            for (String line : Files.readAllLines(osRelease)) {
                if (!line.startsWith("VERSION_ID=")) continue;
                String v = line.substring("VERSION_ID=".length()).strip();
                if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) v = v.substring(1, v.length() - 1);
                try {
                    Version.parse(v);
                } catch (IllegalArgumentException e) {
                    throw new OtaException(CONFIG, osRelease + ": VERSION_ID: " + e.getMessage());
                }
                return v;
            }
            throw new OtaException(CONFIG, osRelease + " has no VERSION_ID line");
        } catch (IOException e) {
            throw new OtaException(CONFIG, "cannot read the image version from " + osRelease + ": " + e.getMessage(), e);
        }
    }
}
