package dev.vgate.ota.install;

/** What the installer needs to know about the running device. A null hardware id skips that check (offline tools only). */
public record DeviceInfo(String hardwareId, String bootedSlot, String currentVersion) {}
